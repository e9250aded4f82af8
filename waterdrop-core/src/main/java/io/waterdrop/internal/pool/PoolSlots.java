package io.waterdrop.internal.pool;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which members of a pool are free: borrowing takes the longest-idle index (waiting up to a timeout, in arrival
 * order), returning puts it back. Closing refuses new borrows, wakes every waiter, and waits (bounded) until the
 * borrowed ones are back. One lock for all of it: a borrow, a return and close never miss each other's signal.
 */
public final class PoolSlots {

    /** {@link #borrow} found no free member in time. */
    public static final int TIMED_OUT = -1;
    /** {@link #borrow} found the pool closed (or it closed while waiting). */
    public static final int CLOSED = -2;

    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition available = lock.newCondition();
    private final Condition allReturned = lock.newCondition();
    private final ArrayDeque<Integer> idle = new ArrayDeque<>();
    private final int size;
    private int borrowed;
    private int waiting;
    private boolean closed;

    public PoolSlots(int size) {
        this.size = size;
        for (int i = 0; i < size; i++) {
            idle.addLast(i);
        }
    }

    /** A free index, {@link #TIMED_OUT} or {@link #CLOSED}. */
    public int borrow(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            waiting++;
            try {
                while (!closed && idle.isEmpty()) {
                    if (remaining <= 0) {
                        return TIMED_OUT;
                    }
                    remaining = available.awaitNanos(remaining);
                }
            } finally {
                waiting--;
            }
            if (closed) {
                return CLOSED;
            }
            borrowed++;
            return idle.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Gives a borrowed index back; after close it stays out (its member is being closed). */
    public void release(int index) {
        lock.lock();
        try {
            borrowed--;
            if (!closed) {
                idle.addLast(index);
                available.signal();
            } else if (borrowed == 0) {
                allReturned.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new borrows and waits until every borrowed index is back or {@code timeoutNanos} passed.
     *
     * @return whether every borrowed index came back
     */
    public boolean closeAndAwaitReturned(long timeoutNanos) {
        lock.lock();
        try {
            closed = true;
            available.signalAll();
            long remaining = timeoutNanos;
            while (borrowed > 0 && remaining > 0) {
                remaining = allReturned.awaitNanos(remaining);
            }
            return borrowed == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return borrowed == 0;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** {size, borrowed, waiting, closed ? 1 : 0}, read together. */
    public int[] snapshot() {
        lock.lock();
        try {
            return new int[] {size, borrowed, waiting, closed ? 1 : 0};
        } finally {
            lock.unlock();
        }
    }
}
