package io.waterdrop.internal.metrics;

import io.waterdrop.Header;
import io.waterdrop.Message;
import io.waterdrop.SendObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link SendObserver}s of one producer. Copy-on-write array: the producing thread's check for "none" is one
 * volatile read.
 */
public final class SendObservers {

    private static final SendObserver[] NONE = {};

    private volatile SendObserver[] observers = NONE;

    public boolean isEmpty() {
        return observers.length == 0;
    }

    /** Adds an observer; run the returned action to remove it. */
    public synchronized Runnable add(SendObserver observer) {
        if (observer == null) {
            throw new IllegalArgumentException("observer must not be null");
        }
        SendObserver[] next = Arrays.copyOf(observers, observers.length + 1);
        next[observers.length] = observer;
        observers = next;
        return () -> remove(observer);
    }

    private synchronized void remove(SendObserver observer) {
        observers = Arrays.stream(observers).filter(o -> o != observer).toArray(SendObserver[]::new);
    }

    /** Asks every observer about a message about to be sent; the result says what to send and whom to tell. */
    public Send begin(String producer, Message message) {
        List<Header> added = new ArrayList<>(2);
        SendObserver[] current = observers;
        List<SendObserver.Completion> completions = new ArrayList<>(current.length);
        try {
            for (SendObserver observer : current) {
                SendObserver.Completion completion = observer.onSend(producer, message, added);
                if (completion != null) {
                    completions.add(completion);
                }
            }
            Message toSend = added.isEmpty() ? message : message.toBuilder().headers(added).build();
            return new Send(toSend, completions);
        } catch (RuntimeException e) {
            // The send fails; observers that already started (an observation, a span) still hear the outcome.
            new Send(message, completions).complete(null, e);
            throw e;
        }
    }

    /** One observed send: the message to hand to librdkafka and the observers to tell its outcome. */
    public static final class Send {

        private final Message message;
        private final List<SendObserver.Completion> completions;

        Send(Message message, List<SendObserver.Completion> completions) {
            this.message = message;
            this.completions = completions;
        }

        public Message message() {
            return message;
        }

        /**
         * Tells every observer; returns the first exception an observer threw (after telling all of them), or
         * {@code null}.
         */
        public Throwable complete(io.waterdrop.DeliveryReport report, Throwable failure) {
            Throwable thrown = null;
            for (SendObserver.Completion completion : completions) {
                try {
                    completion.completed(report, failure);
                } catch (Throwable t) {
                    if (thrown == null) {
                        thrown = t;
                    }
                }
            }
            return thrown;
        }
    }
}
