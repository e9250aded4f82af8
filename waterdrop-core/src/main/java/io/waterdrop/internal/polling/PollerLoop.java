package io.waterdrop.internal.polling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fd Poller: its registrations and its thread's lives. Each life ({@link PollerRun}) waits in poll(2) on every
 * registered producer's pipe plus its own wake-up pipe, and serves only the producers that have work, each within its
 * time budget.
 *
 * <p>The thread starts on the first registration and stops when the last producer leaves; the next registration
 * starts a new one. Each such life is a {@link PollerRun} with its own wake-up pipe, so a stopping thread never shares
 * state with its successor.
 *
 * <p>Failures: an exception in a pass is reported to every producer and followed by a back-off, in the same life. An
 * {@link Error} (or a failure of the failure handling itself) ends the life abnormally: its state may be half
 * updated. A new life then re-admits every surviving producer after a back-off (100 ms doubling), each producer gets
 * a {@code poller.restarted} error event, and after {@value #MAX_RESTARTS} abnormal exits in a row without a healthy
 * pass in between the Poller gives up: it releases its producers, reports {@code poller.stopped} to each, and marks
 * their registrations failed ({@link FdRegistration#failure()}), which a health check reads.
 */
public final class PollerLoop {

    private static final Logger log = LoggerFactory.getLogger(PollerLoop.class);
    /** Abnormal thread exits in a row (no healthy pass in between) after which the Poller gives up. */
    static final int MAX_RESTARTS = 5;

    private final int id;
    private final String threadName;
    private final int pollTimeoutMs;

    /** Guards {@link #run} and {@link #registered}: the stop decision and clearing the run are one critical section. */
    private final ReentrantLock lock = new ReentrantLock();
    private PollerRun run;
    private int registered;

    private final Set<FdRegistration> producers = ConcurrentHashMap.newKeySet();
    final AtomicLong wakeups = new AtomicLong();
    final AtomicLong iterations = new AtomicLong();
    final AtomicLong budgetExhaustions = new AtomicLong();
    final AtomicLong periodicPolls = new AtomicLong();
    final AtomicLong timeoutPolls = new AtomicLong();
    final AtomicLong loopErrors = new AtomicLong();
    private final AtomicLong threadStarts = new AtomicLong();
    private final AtomicLong abnormalExits = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    /** Abnormal exits since the last healthy pass; guarded by {@link #lock}. */
    private volatile int abnormalExitsInARow;
    volatile long lastLoopEpochMillis;
    final ServingTime servingTime = new ServingTime(); // ops
    private volatile Thread thread;
    /** The thread started last; unlike {@link #thread} it is not cleared at the stop decision, which precedes exit. */
    private volatile Thread lastStarted;

    public PollerLoop(int id, Duration pollTimeout) {
        this.id = id;
        this.threadName = "waterdrop.poller#" + id;
        this.pollTimeoutMs = (int) Math.min(Integer.MAX_VALUE, pollTimeout.toMillis());
    }

    /** Whether the calling thread is some Poller's thread (where waiting for a Poller would deadlock). */
    public static boolean onPollerThread() {
        return Thread.currentThread() instanceof PollerThread;
    }

    /** Hands a producer to this Poller; starts the thread if none runs. */
    public void register(FdRegistration registration) {
        PollerRun target;
        lock.lock();
        try {
            if (run == null) {
                // Publish the run only once its thread started: a failed start (e.g. "unable to create native
                // thread") must not leave a run without a thread, whose inbox every later producer would join
                // unpolled. The new thread cannot reach the stop decision before this lock is released.
                startRun(new PollerRun(this, 0));
                registered = 0;
            }
            registered++;
            target = run;
            producers.add(registration);
            target.inbox.add(registration);
        } finally {
            lock.unlock();
        }
        target.wakeup();
    }

    /** Starts {@code fresh} on a new thread and publishes it; the caller holds {@link #lock}. */
    private void startRun(PollerRun fresh) {
        Thread t = new PollerThread(fresh, threadName);
        try {
            t.start();
        } catch (Throwable e) {
            fresh.closeWakePipe();
            throw e;
        }
        run = fresh;
        thread = t;
        lastStarted = t;
        threadStarts.incrementAndGet();
    }

    public int id() {
        return id;
    }

    public String threadName() {
        return threadName;
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(pollTimeoutMs);
    }

    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** The current thread, or {@code null} when stopped. */
    public Thread thread() {
        return thread;
    }

    /** Names of the producers registered now. */
    public List<String> producers() {
        return producers.stream().map(r -> r.client.name()).sorted().toList();
    }

    public long wakeups() {
        return wakeups.get();
    }

    public long iterations() {
        return iterations.get();
    }

    public long budgetExhaustions() {
        return budgetExhaustions.get();
    }

    public long periodicPolls() {
        return periodicPolls.get();
    }

    public long timeoutPolls() {
        return timeoutPolls.get();
    }

    public long loopErrors() {
        return loopErrors.get();
    }

    /** ops: time spent serving producers per pass, for the meter binder. */
    public ServingTime servingTime() {
        return servingTime;
    }

    public long threadStarts() {
        return threadStarts.get();
    }

    /** Thread lives that ended abnormally (an {@link Error} in the loop, or the failure handling failing). */
    public long abnormalExits() {
        return abnormalExits.get();
    }

    /** Thread lives started to take over the producers of one that ended abnormally. */
    public long restarts() {
        return restarts.get();
    }

    /** Wall-clock time of the last loop pass, 0 before the first. */
    public long lastLoopEpochMillis() {
        return lastLoopEpochMillis;
    }

    /** Waits until the thread (if any) has ended; true when it has. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        Thread t = lastStarted;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    /** The thread type, so {@link #onPollerThread()} needs no lookup. */
    private static final class PollerThread extends Thread {
        private final PollerRun run;

        PollerThread(PollerRun run, String name) {
            super(name);
            this.run = run;
            setDaemon(true);
        }

        @Override
        public void run() {
            run.loop();
        }
    }

    /**
     * The stop decision of an idle life: when nobody is registered or waiting, clears the run and the thread in the
     * same critical section as registration (WaterDrop fix #896), and returns true; the life then ends.
     */
    boolean stopIfIdle(PollerRun candidate) {
        lock.lock();
        try {
            if (run == candidate && candidate.inbox.isEmpty() && registered == 0) {
                run = null;
                thread = null;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** A producer left for good: the Poller forgets it. */
    void released(FdRegistration r) {
        producers.remove(r);
        lock.lock();
        try {
            registered--;
        } finally {
            lock.unlock();
        }
    }

    /** A life completed a healthy pass: abnormal exits no longer count as "in a row". */
    void healthyPass() {
        if (abnormalExitsInARow != 0) {
            lock.lock();
            try {
                abnormalExitsInARow = 0;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * This life ended abnormally: hand the surviving producers to a new life (after a back-off), or give up after
     * {@value #MAX_RESTARTS} abnormal exits in a row. Runs on the dying thread; never throws.
     */
    void exitedAbnormally(PollerRun dead, Throwable cause) {
        abnormalExits.incrementAndGet();
        log.error("{} stopped abnormally", threadName, cause);
        List<FdRegistration> survivors = new ArrayList<>();
        for (FdRegistration r : dead.active) {
            if (r.pipe.isClosed()) {
                unregisteredQuietly(r); // released just before the failure: its closer must not wait
            } else {
                survivors.add(r);
            }
        }
        PollerRun successor = null;
        Throwable restartFailure = null;
        int attempt;
        lock.lock();
        try {
            if (run != dead) {
                return; // cannot happen: only this thread clears its own run
            }
            survivors.addAll(dead.inbox); // registrations join the successor's inbox from now on, under this lock
            dead.inbox.clear();
            attempt = ++abnormalExitsInARow;
            if (attempt <= MAX_RESTARTS && !survivors.isEmpty()) {
                try {
                    successor = new PollerRun(this, Math.min(PollerRun.MAX_BACKOFF_MS,
                            PollerRun.MIN_BACKOFF_MS << (attempt - 1)));
                    successor.inbox.addAll(survivors);
                    startRun(successor);
                    restarts.incrementAndGet();
                } catch (Throwable e) {
                    restartFailure = e;
                    successor = null;
                }
            }
            if (successor == null) {
                run = null;
                thread = null;
                registered = 0;
                abnormalExitsInARow = 0; // the next registration starts a fresh thread with a fresh count
            }
        } finally {
            lock.unlock();
        }
        if (successor != null) {
            IllegalStateException restarted = new IllegalStateException(threadName + " stopped abnormally ("
                    + cause + "); restarted it, attempt " + attempt + " of " + MAX_RESTARTS, cause);
            for (FdRegistration r : survivors) {
                reportQuietly(r, "poller.restarted", restarted);
            }
            return;
        }
        IllegalStateException stopped = new IllegalStateException(threadName + " stopped abnormally"
                + (attempt > MAX_RESTARTS ? " " + attempt + " times in a row" : "") + " (" + cause
                + "); this producer is no longer polled: close it and create a new one", cause);
        if (restartFailure != null) {
            stopped.addSuppressed(restartFailure);
        }
        giveUp(survivors, stopped);
    }

    /** Releases every producer (no close() may hang) and marks each failed, so health checks show it. */
    private void giveUp(List<FdRegistration> survivors, IllegalStateException stopped) {
        if (!survivors.isEmpty()) {
            log.error("{}: giving up on {} producers", threadName, survivors.size(), stopped);
        }
        for (FdRegistration r : survivors) {
            r.failure = stopped;
            reportQuietly(r, "poller.stopped", stopped);
            try {
                r.release();
            } catch (Throwable ignored) {
                // The fd is lost at worst; the waiter must still be released.
            }
            producers.remove(r);
            r.unregistered.complete(null);
        }
    }

    private void reportQuietly(FdRegistration r, String type, Throwable failure) {
        try {
            r.client.pollingError(type, failure);
        } catch (Throwable ignored) {
            // Keep reporting to the others.
        }
    }

    private void unregisteredQuietly(FdRegistration r) {
        try {
            released(r);
            r.client.unregistered(id);
        } catch (Throwable ignored) {
            // The closer must be released whatever the listener does.
        }
        r.unregistered.complete(null);
    }
}
