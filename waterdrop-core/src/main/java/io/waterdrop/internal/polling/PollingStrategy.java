package io.waterdrop.internal.polling;

import java.time.Duration;

/** How a producer's main queue gets served: by its own thread, or by a shared Poller. */
public interface PollingStrategy {

    /** Starts serving the producer. */
    void start();

    /**
     * Stops serving after a bounded final drain. When this returns true, no thread will poll the producer again, so
     * its handle may be destroyed; false means the loop did not confirm in {@code timeout} and the handle must be
     * left alone.
     */
    boolean stop(Duration timeout);

    /**
     * Whether the calling thread is the one serving this producer, where waiting for a delivery report (or for
     * {@link #stop}) would wait for itself.
     */
    boolean isPollingThread();

    /**
     * Why nobody polls this producer any more although it was not stopped (its polling thread died and could not be
     * replaced), or {@code null} while it is served.
     */
    Throwable failure();

    /** A short description for stats: mode, budget, thread or Poller. */
    String describe();
}
