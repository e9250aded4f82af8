package io.waterdrop.internal.producer;

import io.waterdrop.ProducerState;
import io.waterdrop.internal.polling.PollingThreads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes a producer close once: the first close owns it ({@link ClientLifecycle#closeClient} does the steps),
 * concurrent and later ones join its result. A fatal-error reload closes the client too; a close() that joins such a
 * close is remembered, so the reload does not reconnect a producer the application asked to close.
 *
 * <p>{@link #lock} is never held while waiting for anything: a close holds the lifecycle lock while it waits for the
 * handle's write lock, and closeAsync() from a delivery listener (during a transaction's abort, say) must never wait
 * behind it.
 */
public final class CloseOnce {

    private final String name;
    private final ClientLifecycle lifecycle;
    private final ReentrantLock lock = new ReentrantLock();
    private CompletableFuture<Integer> result;
    /** The close a client re-creation started, while it runs. */
    private CompletableFuture<Integer> reloadClose;
    /** A close() or closeAsync() joined {@link #reloadClose}: the producer must stay closed. */
    private boolean closeRequestedDuringReload;

    CloseOnce(String name, ClientLifecycle lifecycle) {
        this.name = name;
        this.lifecycle = lifecycle;
    }

    /** Closes on a new thread ({@code waterdrop.closer#<name>}); safe from anywhere, delivery callbacks included. */
    public CompletableFuture<Integer> closeAsync(Duration timeout) {
        CompletableFuture<Integer> started = started();
        if (started != null) {
            return started;
        }
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                closed.complete(close(timeout, false));
            } catch (Throwable t) {
                closed.completeExceptionally(t);
            }
        }, "waterdrop.closer#" + name);
        closer.setDaemon(false); // let the flush finish even when the application is exiting
        closer.start();
        return closed;
    }

    /**
     * Closes once; concurrent and later calls wait for the first and return its result.
     *
     * @param force purge at once instead of flushing
     * @return how many messages were left undelivered
     */
    public int close(Duration timeout, boolean force) {
        // Any polling thread, not only this producer's: closing blocks, and a blocked polling thread stalls every
        // producer it serves. The rule is simple to follow in callbacks: closeAsync() there.
        if (PollingThreads.isPollingThread() || lifecycle.isPollingThread()) {
            throw new IllegalStateException("Producer '" + name + "' cannot be closed on "
                    + Thread.currentThread().getName() + ": close() waits for that thread to release the producer. "
                    + "Use closeAsync() in callbacks, or close from an application thread");
        }
        CompletableFuture<Integer> mine = new CompletableFuture<>();
        CompletableFuture<Integer> started = startOrJoin(mine);
        if (started != null) {
            return started.join();
        }
        return owned(mine, timeout, force);
    }

    /**
     * Closes the client without flushing (its in-flight messages fail with purge errors) so that
     * {@link #reopenAfterReload} can connect a new one; does nothing unless the producer is connected and nobody is
     * closing it.
     *
     * @return whether this call closed the client
     */
    public boolean closeForReload() {
        CompletableFuture<Integer> mine = new CompletableFuture<>();
        lock.lock();
        try {
            if (lifecycle.state() != ProducerState.CONNECTED || result != null) {
                return false;
            }
            result = mine;
            reloadClose = mine;
            closeRequestedDuringReload = false;
        } finally {
            lock.unlock();
        }
        owned(mine, Duration.ZERO, true);
        return true;
    }

    /**
     * Connects a new client after {@link #closeForReload}, unless a {@code close()} joined that close meanwhile: the
     * application asked for the producer to be closed, so it stays closed.
     *
     * @return whether a new client was connected
     */
    public boolean reopenAfterReload(Runnable reset) {
        boolean reopened = lifecycle.underLifecycleLock(() -> {
            // Held through reopen, so a close() cannot slip in between the check and the reopen and be lost. Brief:
            // the client is closed, so nothing holds the handle lock for long.
            lock.lock();
            try {
                boolean stayClosed = closeRequestedDuringReload;
                reloadClose = null;
                closeRequestedDuringReload = false;
                if (stayClosed) {
                    return false;
                }
                lifecycle.reopen(reset);
                return true;
            } finally {
                lock.unlock();
            }
        });
        if (reopened) {
            lifecycle.connect();
        }
        return reopened;
    }

    private int owned(CompletableFuture<Integer> mine, Duration timeout, boolean force) {
        try {
            int undelivered = lifecycle.closeClient(timeout, force);
            mine.complete(undelivered);
            return undelivered;
        } catch (Throwable t) {
            mine.completeExceptionally(t);
            throw t;
        }
    }

    /** The close that already started (the caller joins it), or {@code null} when none has. */
    private CompletableFuture<Integer> started() {
        lock.lock();
        try {
            joining();
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Starts a close with {@code mine} unless one started already; returns the close to join, or null. */
    private CompletableFuture<Integer> startOrJoin(CompletableFuture<Integer> mine) {
        lock.lock();
        try {
            if (result == null) {
                result = mine;
                return null;
            }
            joining();
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void joining() {
        closeRequestedDuringReload |= result != null && result == reloadClose;
    }

    /** Forgets the finished close: the producer can close again (after a reopen). */
    void reset() {
        lock.lock();
        try {
            result = null;
        } finally {
            lock.unlock();
        }
    }
}
