package io.waterdrop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer's event bus. Listeners run on the thread that raised the event (for deliveries, statistics and errors
 * that is the polling thread), so keep them short. A listener that throws never breaks delivery: its exception
 * becomes an {@link Event.ErrorOccurred} for the other listeners.
 */
public final class Monitor {

    private static final Logger log = LoggerFactory.getLogger(Monitor.class);

    private final String producer;
    private final List<Consumer<? super Event>> listeners = new CopyOnWriteArrayList<>();

    Monitor(String producer) {
        this.producer = producer;
    }

    /** Adds a listener for every event; close the returned subscription to remove it. */
    public Subscription subscribe(Consumer<? super Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Adds a listener for one event type. */
    public <E extends Event> Subscription subscribe(Class<E> type, Consumer<? super E> listener) {
        return subscribe(event -> {
            if (type.isInstance(event)) {
                listener.accept(type.cast(event));
            }
        });
    }

    /** Whether anyone listens; lets hot paths skip building events. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    void emit(Event event) {
        for (Consumer<? super Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (Throwable t) {
                listenerFailed(event, t);
            }
        }
    }

    private void listenerFailed(Event event, Throwable t) {
        if (event instanceof Event.ErrorOccurred) {
            // Reporting a failing error listener as another error could loop forever: log it instead.
            log.error("Producer '{}': an error.occurred listener threw", producer, t);
            return;
        }
        String errorType = switch (event.type()) {
            case "message.acknowledged" -> "callbacks.delivery.error";
            case "statistics.emitted" -> "callbacks.statistics.error";
            default -> "callbacks.listener.error";
        };
        emit(new Event.ErrorOccurred(producer, errorType, null, t, null));
    }

    /** A registered listener; {@link #close()} removes it. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
