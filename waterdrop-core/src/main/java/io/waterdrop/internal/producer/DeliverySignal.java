package io.waterdrop.internal.producer;

import io.waterdrop.WaterDropException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets application threads wait for delivery progress (flush, queue-full back-off) without spinning and without
 * {@code synchronized}, so virtual threads are never pinned.
 */
final class DeliverySignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private volatile int waiters;

    void await(long nanos) {
        lock.lock();
        try {
            waiters++;
            progressed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaterDropException("Interrupted while waiting for delivery reports", e);
        } finally {
            waiters--;
            lock.unlock();
        }
    }

    /** Cheap when nobody waits: one volatile read on the polling thread. */
    void signalAll() {
        if (waiters > 0) {
            lock.lock();
            try {
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
