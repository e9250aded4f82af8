package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One producer's idleness, as {@link IdleTimer} sees it. "Nothing produced" costs the produce path nothing: every
 * message gets an opaque id from {@link DeliveryTracker}'s sequence anyway, so an unchanged sequence between two
 * checks means nothing was produced in between. A producer whose sequence has not moved for {@code timeout}, with no
 * delivery pending, is offered to {@link IdleDisconnect}, which checks again, under the locks that keep produce calls
 * and transactions out, before it lets the client go.
 */
final class IdleWatch {

    private final String name;
    private final long timeoutNanos;
    private final DeliveryTracker deliveries;
    private final EventSink events;
    private final IdleDisconnect disconnect;
    /** The sequence at the last check, and since when it has not moved; touched by the timer thread only. */
    private long lastSequence;
    private long idleSince;

    IdleWatch(String name, Duration timeout, DeliveryTracker deliveries, EventSink events, IdleDisconnect disconnect) {
        this.name = name;
        this.timeoutNanos = timeout.toNanos();
        this.deliveries = deliveries;
        this.events = events;
        this.disconnect = disconnect;
    }

    /**
     * Half the timeout, at least 50 ms (the timer also checks at least every second): the client goes between 1
     * and 1.5 timeouts after the last message.
     */
    long tickNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(50), timeoutNanos / 2);
    }

    /** The sequence the idle time counts from (the client just connected). */
    void restart(long now) {
        synchronized (this) {
            lastSequence = deliveries.sequence();
            idleSince = now;
        }
    }

    /** One check on the timer thread; never throws (a failure is reported as {@code producer.idle_disconnect}). */
    void check(long now) {
        try {
            long sequence;
            long since;
            synchronized (this) { // restart() runs on the connecting thread
                sequence = deliveries.sequence();
                if (sequence != lastSequence) {
                    lastSequence = sequence;
                    idleSince = now;
                    return;
                }
                since = idleSince;
            }
            if (now - since < timeoutNanos || !deliveries.isEmpty()) {
                return;
            }
            disconnect.disconnectIfIdle(sequence, Duration.ofNanos(now - since));
        } catch (Throwable t) {
            try {
                events.emit(new Event.ErrorOccurred(name, "producer.idle_disconnect", null, t, null));
            } catch (Throwable ignored) {
                // The timer serves other producers: keep going.
            }
        }
    }

    Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }
}
