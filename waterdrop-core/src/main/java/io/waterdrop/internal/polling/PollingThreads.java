package io.waterdrop.internal.polling;

/**
 * Whether the calling thread serves some producer's queue: a Poller thread, or a thread-mode producer's own thread.
 * A blocking wait there (close, flush, produceSync, a transaction, a queue-full back-off) stops the delivery of
 * every producer that thread serves, and deadlocks when what it waits for is one of them.
 */
public final class PollingThreads {

    private PollingThreads() {
    }

    public static boolean isPollingThread() {
        return PollerLoop.onPollerThread() || ThreadPolling.onPollingThread();
    }
}
