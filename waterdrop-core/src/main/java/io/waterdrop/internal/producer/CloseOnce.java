package io.waterdrop.internal.producer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Makes a producer close once: the first close owns it, concurrent and later ones join its result. A fatal-error
 * reload closes the client too; a close() that joins such a close is remembered, so the reload does not reconnect a
 * producer the application asked to close.
 *
 * <p>The lock here is never held while waiting for anything: a close holds the lifecycle lock while it waits for the
 * handle's write lock, and closeAsync() from a delivery listener (during a transaction's abort, say) must never wait
 * behind it.
 */
final class CloseOnce {

    private final ReentrantLock lock = new ReentrantLock();
    private CompletableFuture<Integer> result;
    /** The close a client re-creation started, while it runs. */
    private CompletableFuture<Integer> reloadClose;
    /** A close() or closeAsync() joined {@link #reloadClose}: the producer must stay closed. */
    private boolean closeRequestedDuringReload;

    /** The close that already started (the caller joins it), or {@code null} when none has. */
    CompletableFuture<Integer> started() {
        lock.lock();
        try {
            joining();
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a close with {@code mine} unless one started already.
     *
     * @return {@code null} when the caller owns the close now, else the close to join
     */
    CompletableFuture<Integer> startOrJoin(CompletableFuture<Integer> mine) {
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

    /** Starts a reload's close with {@code mine} when {@code connected} and no close started; false otherwise. */
    boolean startReload(CompletableFuture<Integer> mine, BooleanSupplier connected) {
        lock.lock();
        try {
            if (!connected.getAsBoolean() || result != null) {
                return false;
            }
            result = mine;
            reloadClose = mine;
            closeRequestedDuringReload = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a reload: runs {@code reopen} under this lock (so a close() cannot slip in between the check and the
     * reopen and be lost) unless a close joined the reload's close.
     *
     * @return whether {@code reopen} ran
     */
    boolean endReload(Runnable reopen) {
        lock.lock();
        try {
            boolean stayClosed = closeRequestedDuringReload;
            reloadClose = null;
            closeRequestedDuringReload = false;
            if (stayClosed) {
                return false;
            }
            reopen.run();
            return true;
        } finally {
            lock.unlock();
        }
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
