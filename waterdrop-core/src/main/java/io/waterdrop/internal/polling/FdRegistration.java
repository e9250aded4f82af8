package io.waterdrop.internal.polling;

import io.waterdrop.internal.nativelib.Pipe;
import java.util.concurrent.CompletableFuture;

/**
 * One fd-mode producer as its Poller sees it: the pipe librdkafka (and the Poller's own "continue" and "close"
 * signals) write to, its time budget, and its close hand-shake. Fields other than {@link #closing} and
 * {@link #unregistered} belong to the Poller thread.
 */
public final class FdRegistration {

    final PolledClient client;
    final Pipe pipe;
    final long maxTimeNanos;
    final long periodicIntervalNanos;
    final long closeDrainNanos;
    long lastPollNanos;
    /** When the Poller gives up draining a closing producer; 0 until its close drain starts. */
    long closeDeadlineNanos;
    /** Whether a Poller thread announced it already; a restarted thread life re-admits it silently. */
    boolean admitted;
    volatile boolean closing;
    /** Why the Poller gave up on this producer; {@code null} while it is served. */
    volatile Throwable failure;
    final CompletableFuture<Void> unregistered = new CompletableFuture<>();

    /**
     * Opens the pipe and enables librdkafka's io events on the producer's main queue.
     *
     * @param closeDrainNanos how long the Poller may keep serving the producer while it closes
     */
    public FdRegistration(PolledClient client, long maxTimeNanos, long periodicIntervalNanos, long closeDrainNanos) {
        this.client = client;
        this.maxTimeNanos = maxTimeNanos;
        this.periodicIntervalNanos = periodicIntervalNanos;
        this.closeDrainNanos = closeDrainNanos;
        this.pipe = Pipe.open();
        try {
            client.ioEvents(pipe.writeFd());
        } catch (RuntimeException e) {
            pipe.close();
            throw e;
        }
        this.lastPollNanos = System.nanoTime();
    }

    public PolledClient client() {
        return client;
    }

    /** Completes once the Poller has served the producer for the last time and turned its io events off. */
    public CompletableFuture<Void> unregistered() {
        return unregistered;
    }

    /**
     * Why the Poller stopped serving this producer before it was closed (its thread ended abnormally too many times
     * in a row), or {@code null} while it is served.
     */
    public Throwable failure() {
        return failure;
    }

    /** Asks the Poller to finish with this producer; safe from any thread, any number of times. */
    public void requestClose() {
        closing = true;
        pipe.signal();
    }

    /**
     * Releases the pipe when the producer never reached a Poller (or the Poller is gone): io events off first,
     * so librdkafka can never write into a reused fd number, then the pipe.
     */
    void release() {
        if (!pipe.isClosed()) {
            try {
                client.ioEvents(-1);
            } finally {
                pipe.close();
            }
        }
    }
}
