package io.waterdrop;

import io.waterdrop.internal.polling.PollerLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread that serves many fd-mode producers: it waits on every producer's pipe at once and drains only the
 * producers librdkafka signalled, each within its {@code fd.max-time} budget.
 *
 * <p>{@link #global()} (id 0) serves every fd producer that names no Poller. Create a dedicated Poller and hand it to
 * one or several producers ({@link ProducerConfig.Builder#poller(Poller)}) to isolate them from slow callbacks of
 * others. The thread ({@code waterdrop.poller#<id>}) starts with the first producer and stops when the last one
 * closes, so a dedicated Poller needs no shutdown of its own.
 *
 * <p>Callbacks of every producer on a Poller run on its thread: keep listeners short and never call
 * {@link Producer#close()} there (use {@link Producer#closeAsync()}).
 */
public final class Poller {

    /** The default wait in poll(2) before every producer gets a safety-net poll. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(1000);

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Poller GLOBAL = new Poller(0, DEFAULT_POLL_TIMEOUT);

    private final PollerLoop loop;

    /** A dedicated Poller with the default poll timeout. */
    public Poller() {
        this(DEFAULT_POLL_TIMEOUT);
    }

    /**
     * A dedicated Poller.
     *
     * @param pollTimeout how long poll(2) waits before polling every producer anyway (at least 1 ms)
     */
    public Poller(Duration pollTimeout) {
        this(IDS.incrementAndGet(), pollTimeout);
    }

    private Poller(int id, Duration pollTimeout) {
        if (pollTimeout == null || pollTimeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new ConfigurationException("poll-timeout", "poll-timeout must be at least 1ms but was "
                    + (pollTimeout == null ? "null" : ProducerConfig.Builder.shown(pollTimeout)));
        }
        if (pollTimeout.compareTo(ProducerConfig.MAX_DURATION) > 0) {
            throw new ConfigurationException("poll-timeout", "poll-timeout must be at most "
                    + ProducerConfig.MAX_DURATION.toMillis() + "ms (about 24 days) but was "
                    + ProducerConfig.Builder.shown(pollTimeout));
        }
        this.loop = new PollerLoop(id, pollTimeout);
    }

    /** The Poller of every fd producer that names none. */
    public static Poller global() {
        return GLOBAL;
    }

    public int id() {
        return loop.id();
    }

    /** {@code waterdrop.poller#<id>}. */
    public String threadName() {
        return loop.threadName();
    }

    /** Whether the Poller's thread runs now (it runs while at least one producer is registered). */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Waits until the thread has stopped (after the last producer closed); true when it has. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return loop.awaitStopped(timeout);
    }

    /** A snapshot of this Poller's state and counters. */
    public PollerStats stats() {
        long last = loop.lastLoopEpochMillis();
        return new PollerStats(loop.id(), loop.threadName(), loop.isAlive(), loop.producers(),
                loop.pollTimeout(), loop.wakeups(), loop.iterations(), last == 0 ? null : Instant.ofEpochMilli(last),
                loop.budgetExhaustions(), loop.periodicPolls(), loop.timeoutPolls(), loop.loopErrors(),
                loop.threadStarts(), loop.abnormalExits(), loop.restarts());
    }

    PollerLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "Poller[" + loop.threadName() + ", alive=" + loop.isAlive() + "]";
    }
}
