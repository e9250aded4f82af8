package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.ProducerClosedException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Re-creates a producer's librdkafka client after a fatal error (WaterDrop's {@code reload_on_transaction_fatal_error}):
 * a client that raised a fatal error can never recover (rdkafka.h), but a new one with the same configuration can.
 * The old client is closed without flushing, so every message in flight on it fails (its handle completes with a
 * purge error) instead of hanging. Re-creations in a row are bounded and backed off (the wait doubles each time);
 * the count resets after a committed transaction. One reload at a time: transactions call it under the producer's
 * transaction lock, senders of an idempotent producer under {@link #reloadLock}, which the transaction path takes too.
 */
public final class FatalErrorReload {

    private static final long MAX_BACKOFF_MS = 30_000;

    private final String name;
    private final ClientLifecycle lifecycle;
    private final EventSink events;
    private final int maxReloads;
    private final Duration backoff;
    private final Runnable resetForNewClient;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private int reloadsInARow;

    /** @param resetForNewClient clears per-client state (transactions, caches) while the producer is closed */
    public FatalErrorReload(String name, ClientLifecycle lifecycle, EventSink events, int maxReloads,
            Duration backoff, Runnable resetForNewClient) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.events = events;
        this.maxReloads = maxReloads;
        this.backoff = backoff;
        this.resetForNewClient = resetForNewClient;
    }

    /**
     * For a send on a client that raised a fatal error: re-creates the client unless another sender already did
     * (the current client then has none) or no more re-creations are allowed.
     *
     * @return whether a client without a fatal error is there to send on
     */
    public boolean reloadIfFatal(KafkaError cause) {
        reloadLock.lock();
        try {
            if (!lifecycle.hasFatalError()) {
                return true;
            }
            if (!allowed()) {
                return false;
            }
            reload(cause);
            return true;
        } finally {
            reloadLock.unlock();
        }
    }

    /** Whether another re-creation in a row is allowed. */
    boolean allowed() {
        return reloadsInARow < maxReloads;
    }

    int reloadsInARow() {
        return reloadsInARow;
    }

    /** A transaction committed: the client works, so the next fatal error starts a new count. */
    void succeeded() {
        reloadsInARow = 0;
    }

    /**
     * Closes the dead client (purging what it holds), waits the back-off, and connects a new one.
     *
     * @throws ProducerClosedException when the application closes the producer meanwhile (it then stays closed)
     */
    void reload(KafkaError cause) {
        reloadLock.lock();
        try {
            reloadOnce(cause);
        } finally {
            reloadLock.unlock();
        }
    }

    private void reloadOnce(KafkaError cause) {
        reloadsInARow++;
        long waitMs = Math.min(MAX_BACKOFF_MS, backoff.toMillis() << Math.min(20, reloadsInARow - 1));
        if (!lifecycle.closing().closeForReload()) {
            throw lifecycle.closedException();
        }
        try {
            Thread.sleep(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // reconnect at once; the caller sees the flag
        }
        if (!lifecycle.closing().reopenAfterReload(resetForNewClient)) {
            throw lifecycle.closedException();
        }
        events.emit(new Event.ProducerReloaded(name, cause, reloadsInARow));
    }
}
