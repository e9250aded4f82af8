package io.waterdrop.internal.polling;

/**
 * What a polling loop needs from a producer. Implemented by the Producer; every method but {@link #ioEvents} is
 * called on the polling thread only.
 */
public interface PolledClient {

    /** The producer's name, for events and logs. */
    String name();

    /**
     * Serves the main queue's events (delivery reports, errors, statistics, logs), waiting up to {@code timeoutMs}
     * for the first; returns how many messages and events were handled.
     */
    int poll(int timeoutMs);

    /**
     * Serves what is queued without waiting, and stops between two messages (or two events) once
     * {@code deadlineNanos} ({@link System#nanoTime()}) has passed, so one big batch of reports cannot overrun the
     * producer's budget; what is left is served first on the next call.
     */
    int pollUntil(long deadlineNanos);

    /** Makes a blocking {@link #poll} on another thread return now (rd_kafka_queue_yield). */
    void wakeUp();

    /** Messages still queued, in flight or waiting for a poll. */
    int outqLen();

    /** Points librdkafka's main-queue wake-ups at {@code fd}; {@code -1} turns them off. */
    void ioEvents(int fd);

    /** The producer joined Poller {@code pollerId}. */
    void registered(int pollerId);

    /** The producer left Poller {@code pollerId}; the Poller will not touch it again. */
    void unregistered(int pollerId);

    /** The polling loop failed around this producer; {@code type} is e.g. {@code poller.polling_loop}. */
    void pollingError(String type, Throwable failure);
}
