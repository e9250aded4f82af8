package io.waterdrop.internal.polling;

import io.waterdrop.internal.nativelib.LibC;
import io.waterdrop.internal.nativelib.NativeLayouts.PollFd;
import io.waterdrop.internal.nativelib.NativeLibraries;
import io.waterdrop.internal.nativelib.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One life of a {@link PollerLoop}'s thread: admits registrations, waits in poll(2) on its own wake-up pipe plus
 * every producer's pipe, and serves the producers that have work, each within its budget. Every field belongs to the
 * life's thread except {@link #inbox} and the wake-up pipe. When the life ends abnormally, {@link PollerLoop} hands
 * its producers ({@link #active} and {@link #inbox}) to the next one.
 */
final class PollerRun {

    private static final Logger log = LoggerFactory.getLogger(PollerRun.class);
    private static final int POLLNVAL = 0x20;
    private static final int EINTR = 4;
    private static final long STALE_CHECK_NANOS = Duration.ofMillis(100).toNanos();
    /** poll(2) timeout while a closing producer still has reports in flight: re-check soon, without spinning. */
    private static final int CLOSE_DRAIN_POLL_MS = 10;
    static final long MIN_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 30_000;

    private final PollerLoop loop;
    private final int id;
    private final String threadName;
    private final int pollTimeoutMs;

    /** Registrations waiting for admission; new ones join under {@link PollerLoop}'s lock. */
    final Queue<FdRegistration> inbox = new ConcurrentLinkedQueue<>();
    private final Pipe wake = Pipe.open();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    final List<FdRegistration> active = new ArrayList<>();
    private final LibC libc = NativeLibraries.libc();
    private Pointer pollfds;
    private int pollfdCapacity;
    private boolean pollfdsStale = true;
    private long lastStaleCheck = System.nanoTime();
    private int draining;
    private long backoffMs;
    /** A restarted life waits this long before its first pass, so a failure that repeats does not spin. */
    private final long startDelayMs;

    PollerRun(PollerLoop loop, long startDelayMs) {
        this.loop = loop;
        this.id = loop.id();
        this.threadName = loop.threadName();
        this.pollTimeoutMs = (int) Math.min(Integer.MAX_VALUE, loop.pollTimeout().toMillis());
        this.startDelayMs = startDelayMs;
    }

    /** For a life whose thread never started. */
    void closeWakePipe() {
        wake.close();
    }

    /** Coalesced: one byte per wake-up, however many registrations asked for it. */
    void wakeup() {
        if (wakePending.compareAndSet(false, true)) {
            wake.signal();
        }
    }

    void loop() {
        Throwable failure = null;
        try {
            delayStart();
            while (true) {
                try {
                    if (!admitAndCheckAlive()) {
                        return;
                    }
                    pass();
                    healthyPass();
                } catch (Exception e) {
                    loopFailed(e);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                if (failure != null) {
                    loop.exitedAbnormally(this, failure);
                }
            } finally {
                wake.close();
            }
        }
    }

    private void delayStart() {
        if (startDelayMs > 0) {
            try {
                Thread.sleep(startDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(threadName + " interrupted before restarting", e);
            }
        }
    }

    private void healthyPass() {
        backoffMs = 0;
        loop.healthyPass();
    }

    /** Takes new registrations; returns false (after clearing the run, atomically) when nobody is left. */
    private boolean admitAndCheckAlive() {
        FdRegistration added;
        while ((added = inbox.poll()) != null) {
            active.add(added);
            pollfdsStale = true;
            if (!added.admitted) {
                added.admitted = true; // a restarted life re-admits it without announcing it again
                added.client.registered(id);
            }
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
        return !loop.stopIfIdle(this);
    }

    private void pass() {
        int count = active.size() + 1;
        if (pollfdsStale) {
            rebuildPollfds(count);
        }
        int ready = libc.poll(pollfds, count, draining > 0 ? Math.min(pollTimeoutMs, CLOSE_DRAIN_POLL_MS)
                : pollTimeoutMs);
        loop.iterations.incrementAndGet();
        loop.lastLoopEpochMillis = System.currentTimeMillis();
        long servingStart = System.nanoTime(); // ops
        if (ready < 0) {
            int errno = LastError.getLastError(NativeLibraries.runtime());
            if (errno == EINTR) {
                return;
            }
            throw new IllegalStateException("poll() failed with errno " + errno);
        }
        if (ready == 0) {
            loop.timeoutPolls.incrementAndGet();
            for (int i = 0; i < active.size(); i++) {
                FdRegistration r = active.get(i);
                if (!r.closing) {
                    serve(r);
                }
            }
            continueCloses();
            loop.servingTime.record(servingStart); // ops
            return;
        }
        short wakeEvents = pollfds.getShort(PollFd.REVENTS);
        if (wakeEvents != 0) {
            loop.wakeups.incrementAndGet();
            // Drain BEFORE clearing: cleared first, a wakeup() landing in between would have its byte drained
            // here while its flag stayed set, and no later wakeup() would write a byte again (each
            // registration then waited a whole poll-timeout). Its registration is already in the inbox, which
            // the next pass reads after this clear.
            wake.drain();
            wakePending.set(false);
        }
        for (int i = 0; i < active.size(); i++) {
            short revents = pollfds.getShort((long) (i + 1) * PollFd.SIZE + PollFd.REVENTS);
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
        loop.servingTime.record(servingStart); // ops
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
                loop.periodicPolls.incrementAndGet();
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
                    loop.budgetExhaustions.incrementAndGet();
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
        loop.released(r);
        r.client.unregistered(id);
        r.unregistered.complete(null);
    }

    private void rebuildPollfds(int count) {
        if (count > pollfdCapacity) {
            pollfdCapacity = Math.max(16, Integer.highestOneBit(count) << 1);
            pollfds = Memory.allocateDirect(NativeLibraries.runtime(), (long) pollfdCapacity * PollFd.SIZE);
        }
        putPollfd(0, wake.readFd());
        for (int i = 0; i < active.size(); i++) {
            putPollfd(i + 1, active.get(i).pipe.readFd());
        }
        pollfdsStale = false;
    }

    private void putPollfd(int index, int fd) {
        long at = (long) index * PollFd.SIZE;
        pollfds.putInt(at + PollFd.FD, fd);
        pollfds.putShort(at + PollFd.EVENTS, (short) PollFd.POLLIN);
        pollfds.putShort(at + PollFd.REVENTS, (short) 0);
    }

    /** Reports the failure to every producer, then backs off: 100 ms doubling to 30 s, reset after a good pass. */
    private void loopFailed(Throwable t) {
        loop.loopErrors.incrementAndGet();
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
}
