package io.waterdrop;

import java.time.Duration;

/**
 * How a producer is polled.
 *
 * @param mode thread or fd
 * @param threadName the thread that runs its callbacks ({@code waterdrop.native_kafka#<name>} or
 *     {@code waterdrop.poller#<id>})
 * @param pollerId the Poller id in fd mode, -1 in thread mode
 * @param maxTime the fd budget per turn ({@code null} in thread mode)
 * @param periodicPollInterval the fd periodic poll interval ({@code null} in thread mode)
 * @param pollTimeout the thread-mode poll timeout ({@code null} in fd mode)
 * @param failure {@code null} while a thread serves the producer; otherwise why none does any more although the
 *     producer was not closed: its Poller's thread ended abnormally {@code 5} times in a row and the Poller gave up
 *     (after an event {@code error.occurred} of type {@code poller.stopped}), or its thread-mode polling thread
 *     died. Delivery reports then never arrive, so {@code produce*} throws {@link PollingStoppedException}: a health
 *     check should report such a producer DOWN, and the application should close it and create a new one. A Poller that restarted its thread after one abnormal exit
 *     (event type {@code poller.restarted}) still serves the producer, so this stays {@code null}.
 */
public record PollingInfo(PollingMode mode, String threadName, int pollerId, Duration maxTime,
        Duration periodicPollInterval, Duration pollTimeout, String failure) {

    /** Settings only, for a producer that is served. */
    public PollingInfo(PollingMode mode, String threadName, int pollerId, Duration maxTime,
            Duration periodicPollInterval, Duration pollTimeout) {
        this(mode, threadName, pollerId, maxTime, periodicPollInterval, pollTimeout, null);
    }

    /** Whether a thread still serves this producer's queue ({@link #failure()} is {@code null}). */
    public boolean polled() {
        return failure == null;
    }
}
