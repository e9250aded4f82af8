package io.waterdrop.internal.producer;

import io.waterdrop.Event;

/** Where a producer's internal parts send events: its {@link io.waterdrop.Monitor}, whose emit is not public. */
public interface EventSink {

    /** Whether anyone listens; lets hot paths skip building events. */
    boolean hasListeners();

    /** Delivers {@code event} to every listener; a listener that throws never reaches the caller. */
    void emit(Event event);
}
