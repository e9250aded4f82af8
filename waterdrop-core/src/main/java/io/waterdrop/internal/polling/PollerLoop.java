package io.waterdrop.internal.polling;

import io.waterdrop.internal.nativelib.LibC;
import io.waterdrop.internal.nativelib.NativeLibraries;
import io.waterdrop.internal.nativelib.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fd Poller's thread and loop: waits in poll(2) on every registered producer's pipe plus its own wake-up pipe,
 * and serves only the producers that have work, each within its time budget.
 *
 * <p>The thread starts on the first registration and stops when the last producer leaves; the next registration
 * starts a new one. Each such life is a {@link Run} with its own wake-up pipe, so a stopping thread never shares
 * state with its successor.
 */
public final class PollerLoop {

    private static final Logger log = LoggerFactory.getLogger(PollerLoop.class);
    private static final int POLLIN = 0x1;
    private static final int POLLNVAL = 0x20;
    private static final int EINTR = 4;
    private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }
    private static final long STALE_CHECK_NANOS = Duration.ofMillis(100).toNanos();
    /** poll(2) timeout while a closing producer still has reports in flight: re-check soon, without spinning. */
    private static final int CLOSE_DRAIN_POLL_MS = 10;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final int id;
    private final String threadName;
    private final int pollTimeoutMs;

    /** Guards {@link #run} and {@link #registered}: the stop decision and clearing the run are one critical section. */
    private final ReentrantLock lock = new ReentrantLock();
    private Run run;
    private int registered;

    private final Set<FdRegistration> producers = ConcurrentHashMap.newKeySet();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong iterations = new AtomicLong();
    private final AtomicLong budgetExhaustions = new AtomicLong();
    private final AtomicLong periodicPolls = new AtomicLong();
    private final AtomicLong timeoutPolls = new AtomicLong();
    private final AtomicLong loopErrors = new AtomicLong();
    private final AtomicLong threadStarts = new AtomicLong();
    private final ServingTime servingTime = new ServingTime(); // ops
    private volatile long lastLoopEpochMillis;
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
        Run target;
        lock.lock();
        try {
            if (run == null) {
                // Publish the run only once its thread started: a failed start (e.g. "unable to create native
                // thread") must not leave a run without a thread, whose inbox every later producer would join
                // unpolled. The new thread cannot reach the stop decision before this lock is released.
                Run fresh = new Run();
                Thread t = new PollerThread(fresh, threadName);
                try {
                    t.start();
                } catch (Throwable e) {
                    fresh.wake.close();
                    throw e;
                }
                run = fresh;
                registered = 0;
                thread = t;
                lastStarted = t;
                threadStarts.incrementAndGet();
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

    public long threadStarts() {
        return threadStarts.get();
    }

    /** ops: time spent serving producers per pass, for the meter binder. */
    public ServingTime servingTime() {
        return servingTime;
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
    private final class PollerThread extends Thread {
        private final Run run;

        PollerThread(Run run, String name) {
            super(name);
            this.run = run;
            setDaemon(true);
        }

        @Override
        public void run() {
            run.loop();
        }
    }

    /** One life of the Poller thread. */
    private final class Run {

        final Queue<FdRegistration> inbox = new ConcurrentLinkedQueue<>();
        final Pipe wake = Pipe.open();
        final AtomicBoolean wakePending = new AtomicBoolean();
        final List<FdRegistration> active = new ArrayList<>();
        final LibC libc = NativeLibraries.libc();
        Pointer pollfds;
        int pollfdCapacity;
        boolean pollfdsStale = true;
        long lastStaleCheck = System.nanoTime();
        int draining;
        long backoffMs;

        /** Coalesced: one byte per wake-up, however many registrations asked for it. */
        void wakeup() {
            if (wakePending.compareAndSet(false, true)) {
                wake.signal();
            }
        }

        void loop() {
            boolean normalExit = false;
            try {
                while (true) {
                    try {
                        if (!admitAndCheckAlive()) {
                            normalExit = true;
                            return;
                        }
                        pass();
                        backoffMs = 0;
                    } catch (Throwable t) {
                        loopFailed(t);
                    }
                }
            } finally {
                if (!normalExit) {
                    abandon();
                }
                wake.close();
            }
        }

        /** Takes new registrations; returns false (after clearing the run, atomically) when nobody is left. */
        private boolean admitAndCheckAlive() {
            FdRegistration added;
            while ((added = inbox.poll()) != null) {
                active.add(added);
                pollfdsStale = true;
                added.client.registered(id);
                // The queue may already hold events from before io events were enabled, and then no byte comes
                // until someone polls: serve it once now.
                serve(added);
                if (added.closing) {
                    continueClose(added);
                }
            }
            // A producer closed right at admission has a closed pipe: drop it now, or the next pass would put its
            // old fd number into poll(2) (POLLNVAL, or worse a reused fd that belongs to someone else).
            removeClosed();
            if (!active.isEmpty()) {
                return true;
            }
            lock.lock();
            try {
                if (inbox.isEmpty() && registered == 0) {
                    run = null;
                    thread = null;
                    return false;
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void pass() {
            int count = active.size() + 1;
            if (pollfdsStale) {
                rebuildPollfds(count);
            }
            int ready = libc.poll(pollfds, count, draining > 0 ? Math.min(pollTimeoutMs, CLOSE_DRAIN_POLL_MS)
                    : pollTimeoutMs);
            iterations.incrementAndGet();
            lastLoopEpochMillis = System.currentTimeMillis();
            long servingStart = System.nanoTime(); // ops
            if (ready < 0) {
                int errno = LastError.getLastError(NativeLibraries.runtime());
                if (errno == EINTR) {
                    return;
                }
                throw new IllegalStateException("poll() failed with errno " + errno);
            }
            if (ready == 0) {
                timeoutPolls.incrementAndGet();
                for (int i = 0; i < active.size(); i++) {
                    FdRegistration r = active.get(i);
                    if (!r.closing) {
                        serve(r);
                    }
                }
                continueCloses();
                servingTime.record(servingStart); // ops
                return;
            }
            short wakeEvents = pollfds.getShort(6);
            if (wakeEvents != 0) {
                wakeups.incrementAndGet();
                wakePending.set(false);
                wake.drain();
            }
            for (int i = 0; i < active.size(); i++) {
                short revents = pollfds.getShort((long) (i + 1) * POLLFD_SIZE + 6);
                if (revents == 0) {
                    continue;
                }
                FdRegistration r = active.get(i);
                if ((revents & POLLNVAL) != 0) {
                    throw new IllegalStateException("the pipe of producer '" + r.client.name() + "' was closed");
                }
                r.pipe.drain();
                if (!r.closing) {
                    serve(r);
                }
            }
            pollStale();
            continueCloses();
            servingTime.record(servingStart); // ops
        }

        /** Moves every closing producer (a callback may just have closed one) on, then drops the finished ones. */
        private void continueCloses() {
            draining = 0;
            for (int i = 0; i < active.size(); i++) {
                FdRegistration r = active.get(i);
                if (r.closing && !r.pipe.isClosed()) {
                    continueClose(r);
                }
            }
            removeClosed();
        }

        /** While busy, idle producers still get their statistics and error callbacks. */
        private void pollStale() {
            long now = System.nanoTime();
            if (now - lastStaleCheck < STALE_CHECK_NANOS) {
                return;
            }
            lastStaleCheck = now;
            for (int i = 0; i < active.size(); i++) {
                FdRegistration r = active.get(i);
                if (!r.pipe.isClosed() && now - r.lastPollNanos >= r.periodicIntervalNanos) {
                    periodicPolls.incrementAndGet();
                    serve(r);
                }
            }
        }

        /**
         * Polls until the queue is empty or the producer's budget is spent. When spent, a "continue" byte on the
         * producer's own pipe makes the next poll(2) return at once, so producers rotate and none starves.
         */
        private void serve(FdRegistration r) {
            long deadline = System.nanoTime() + r.maxTimeNanos;
            try {
                while (r.client.pollUntil(deadline) > 0) {
                    if (System.nanoTime() >= deadline) {
                        budgetExhaustions.incrementAndGet();
                        r.pipe.signal();
                        break;
                    }
                }
            } finally {
                r.lastPollNanos = System.nanoTime();
            }
        }

        /**
         * One step of a closing producer's drain (it flushed, or purged, on its own thread already). Each pass serves
         * it within its budget like any producer, so a slow drain never stalls the others on this Poller; once
         * nothing is left, or the close drain bound has passed (reported as {@code poller.close_drain}), io events go
         * off BEFORE the pipe closes (or librdkafka could write into a reused fd number) and the closer is released.
         */
        private void continueClose(FdRegistration r) {
            long now = System.nanoTime();
            if (r.closeDeadlineNanos == 0) {
                r.closeDeadlineNanos = now + r.closeDrainNanos;
            }
            try {
                serve(r);
                int left = r.client.outqLen();
                if (left > 0 && now < r.closeDeadlineNanos) {
                    draining++;
                    return;
                }
                if (left > 0) {
                    r.client.pollingError("poller.close_drain", new IllegalStateException(left
                            + " events were still pending when the close drain bound ran out"));
                }
            } catch (Throwable t) {
                r.client.pollingError("poller.close_drain", t);
            }
            r.release();
            pollfdsStale = true;
        }

        private void removeClosed() {
            if (!pollfdsStale) {
                return;
            }
            for (int i = active.size() - 1; i >= 0; i--) {
                FdRegistration r = active.get(i);
                if (r.pipe.isClosed()) {
                    active.remove(i);
                    unregistered(r);
                }
            }
        }

        private void unregistered(FdRegistration r) {
            producers.remove(r);
            lock.lock();
            try {
                registered--;
            } finally {
                lock.unlock();
            }
            r.client.unregistered(id);
            r.unregistered.complete(null);
        }

        private void rebuildPollfds(int count) {
            if (count > pollfdCapacity) {
                pollfdCapacity = Math.max(16, Integer.highestOneBit(count) << 1);
                pollfds = Memory.allocateDirect(NativeLibraries.runtime(), (long) pollfdCapacity * POLLFD_SIZE);
            }
            putPollfd(0, wake.readFd());
            for (int i = 0; i < active.size(); i++) {
                putPollfd(i + 1, active.get(i).pipe.readFd());
            }
            pollfdsStale = false;
        }

        private void putPollfd(int index, int fd) {
            long at = (long) index * POLLFD_SIZE;
            pollfds.putInt(at, fd);
            pollfds.putShort(at + 4, (short) POLLIN);
            pollfds.putShort(at + 6, (short) 0);
        }

        /** Reports the failure to every producer, then backs off: 100 ms doubling to 30 s, reset after a good pass. */
        private void loopFailed(Throwable t) {
            loopErrors.incrementAndGet();
            log.error("{}: polling loop failed, backing off", threadName, t);
            for (FdRegistration r : active) {
                try {
                    r.client.pollingError("poller.polling_loop", t);
                } catch (Throwable ignored) {
                    // A failing error listener must not stop the report to the others.
                }
            }
            pollfdsStale = true;
            removeClosedQuietly();
            backoffMs = backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Poller interrupted while backing off", e);
            }
        }

        private void removeClosedQuietly() {
            try {
                removeClosed();
            } catch (Throwable ignored) {
                // Next pass retries.
            }
        }

        /** Abnormal exit: release every waiter so no close() hangs, and let the next register start afresh. */
        private void abandon() {
            log.error("{} stopped abnormally; releasing {} producers", threadName, active.size() + inbox.size());
            lock.lock();
            try {
                if (run == this) {
                    run = null;
                    thread = null;
                    registered = 0;
                }
            } finally {
                lock.unlock();
            }
            List<FdRegistration> all = new ArrayList<>(active);
            all.addAll(inbox);
            for (FdRegistration r : all) {
                try {
                    r.client.pollingError("poller.polling_loop",
                            new IllegalStateException(threadName + " stopped abnormally"));
                } catch (Throwable ignored) {
                    // Keep releasing the others.
                }
                try {
                    r.release();
                } catch (Throwable ignored) {
                    // The fd is lost at worst; the waiter must still be released.
                }
                producers.remove(r);
                r.unregistered.complete(null);
            }
        }
    }
}
