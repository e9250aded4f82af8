package io.waterdrop.internal.producer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JVM-wide thread ({@value #THREAD_NAME}) that checks connected producers with an
 * {@code idle-disconnect-timeout} for idleness, and disconnects the idle ones.
 *
 * <p>Why a shared timer and not the Poller loop's own timeouts: disconnecting blocks (the Poller's release hand-shake,
 * then rd_kafka_destroy joining librdkafka's threads), which on a Poller thread would stall every producer it serves,
 * and would wait for itself on the producer's own Poller; thread-mode producers have no Poller at all. A check costs
 * two field reads and no native call (see {@link IdleWatch}), every half timeout (at most every second), so one
 * thread serves thousands of producers. It runs only while some connected producer is watched: once every one is
 * disconnected or closed it ends, so a fully idle application keeps neither a Poller nor this thread. The stop
 * decision and the start on the next watch share one lock (as the Poller's do, WaterDrop fix #896).
 */
final class IdleTimer {

    private static final Logger log = LoggerFactory.getLogger(IdleTimer.class);
    static final String THREAD_NAME = "waterdrop.idle_disconnect";
    static final IdleTimer SHARED = new IdleTimer();
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<IdleWatch> watched = new LinkedHashSet<>();
    private Thread thread;

    /** Starts checking {@code watch} (its producer just connected); starts the thread when none runs. */
    void watch(IdleWatch watch) {
        lock.lock();
        try {
            watched.add(watch);
            if (thread == null) {
                Thread t = new Thread(this::run, THREAD_NAME);
                t.setDaemon(true);
                try {
                    t.start();
                } catch (Throwable e) {
                    // e.g. "unable to create native thread": the producer works, it just stays connected; the
                    // next connect of any watched producer tries again.
                    log.error("Could not start {}; idle producers stay connected for now", THREAD_NAME, e);
                    return;
                }
                thread = t;
            } else {
                changed.signal(); // its tick may be shorter than the current one
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops checking {@code watch} (its producer disconnected or is closing). */
    void unwatch(IdleWatch watch) {
        lock.lock();
        try {
            watched.remove(watch);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<IdleWatch> due;
            long tick = MAX_TICK_NANOS;
            lock.lock();
            try {
                if (watched.isEmpty()) {
                    thread = null; // with the emptiness check, under the lock watch() takes
                    return;
                }
                due = new ArrayList<>(watched);
            } finally {
                lock.unlock();
            }
            for (IdleWatch watch : due) {
                tick = Math.min(tick, watch.tickNanos());
                watch.check(System.nanoTime()); // never throws
            }
            lock.lock();
            try {
                if (!watched.isEmpty()) {
                    changed.awaitNanos(tick);
                }
            } catch (InterruptedException e) {
                // Nobody interrupts this thread on purpose; keep checking, or watched producers stay connected.
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether the calling thread is this timer's (idle disconnects and their event listeners run there). */
    boolean isTimerThread() {
        return Thread.currentThread() == thread();
    }

    /** The thread, or {@code null} when none runs; for tests. */
    Thread thread() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }
}
