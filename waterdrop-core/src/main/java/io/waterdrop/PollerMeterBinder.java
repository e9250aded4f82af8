package io.waterdrop;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.waterdrop.internal.polling.PollerLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one {@link Poller}, tagged {@code poller=<name>}. Needs {@code micrometer-core}. A Poller
 * outlives its producers (its thread stops and restarts with them), so these meters stay until {@link #close()}.
 *
 * <pre>{@code
 * new PollerMeterBinder(Poller.global(), "global").bindTo(registry);
 * }</pre>
 */
public final class PollerMeterBinder implements MeterBinder, AutoCloseable {

    private final Poller poller;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;
    private Runnable servingSubscription;

    /**
     * @param name the {@code poller} tag: a short, stable name such as {@code global} or the group name
     */
    public PollerMeterBinder(Poller poller, String name) {
        this(poller, name, Tags.empty());
    }

    public PollerMeterBinder(Poller poller, String name, Iterable<Tag> tags) {
        this.poller = poller;
        this.tags = Tags.of(tags).and("poller", name);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("PollerMeterBinder of " + poller.threadName()
                    + " is bound already; create one binder per registry");
        }
        this.registry = registry;
        PollerLoop loop = poller.loop();
        counter("waterdrop.poller.wakeups", "Times the Poller's own wake-up pipe fired", l -> l.wakeups());
        counter("waterdrop.poller.iterations", "Passes of the Poller loop (poll(2) calls)",
                l -> l.iterations());
        counter("waterdrop.poller.budget.exhaustions",
                "Turns in which a producer used its whole max-time and was rotated out", l -> l.budgetExhaustions());
        counter("waterdrop.poller.periodic.polls",
                "Polls of producers idle longer than their periodic-poll-interval", l -> l.periodicPolls());
        counter("waterdrop.poller.timeout.polls", "Passes in which poll(2) timed out and every producer "
                + "was polled", l -> l.timeoutPolls());
        counter("waterdrop.poller.loop.errors", "Failures of the Poller loop", l -> l.loopErrors());
        counter("waterdrop.poller.restarts", "Threads started to take over from one that ended abnormally",
                l -> l.restarts());
        gauge("waterdrop.poller.producers", null, "Producers registered with the Poller",
                l -> l.producers().size());
        gauge("waterdrop.poller.loop.age", "seconds", "Time since the Poller loop last returned from poll(2); 0 "
                + "while its thread is stopped", PollerMeterBinder::loopAgeSeconds);
        Timer serving = Timer.builder("waterdrop.poller.serving").tags(tags)
                .description("Time the Poller spends serving producers per pass").register(registry);
        meters.add(serving);
        servingSubscription = loop.servingTime().addRecorder(nanos -> serving.record(nanos, TimeUnit.NANOSECONDS));
    }

    private static double loopAgeSeconds(PollerLoop loop) {
        long last = loop.lastLoopEpochMillis();
        if (last == 0 || !loop.isAlive()) {
            return 0;
        }
        return Math.max(0, System.currentTimeMillis() - last) / 1000.0;
    }

    private void counter(String name, String description, ToDoubleFunction<PollerLoop> value) {
        meters.add(FunctionCounter.builder(name, poller.loop(), value).tags(tags).description(description)
                .register(registry));
    }

    /** @param unit a base unit, or {@code null} for a plain count */
    private void gauge(String name, String unit, String description, ToDoubleFunction<PollerLoop> value) {
        meters.add(Gauge.builder(name, poller.loop(), value).tags(tags).strongReference(true).baseUnit(unit)
                .description(description).register(registry));
    }

    /** Removes every meter. */
    @Override
    public synchronized void close() {
        if (servingSubscription != null) {
            servingSubscription.run();
            servingSubscription = null;
        }
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
    }
}
