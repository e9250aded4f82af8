package io.waterdrop;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.waterdrop.internal.metrics.ProducerCounters;
import io.waterdrop.internal.metrics.StatisticsMeters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of one {@link Producer}, every one tagged {@code producer=<name>} (plus the tags given here).
 * Needs {@code io.micrometer:micrometer-core} on the classpath; the core works without it.
 *
 * <pre>{@code
 * ProducerMeterBinder meters = new ProducerMeterBinder(producer);
 * meters.bindTo(registry);   // keep the binder: it owns the meters
 * }</pre>
 *
 * <p>The meters disappear from the registry when the producer closes (and come back if it is reopened) or when
 * {@link #close()} is called. Counting costs a {@code LongAdder} increment per message; the
 * {@value #DELIVERY_LATENCY} timer times one message in {@value #DEFAULT_LATENCY_SAMPLE_INTERVAL} by default (clock
 * reads are what timing costs).
 * librdkafka's statistics become meters when the producer sets {@code statistics.interval.ms} above 0. Every meter
 * and its unit: docs/operations.md.
 */
public final class ProducerMeterBinder implements MeterBinder, AutoCloseable {

    /** Messages librdkafka accepted. */
    public static final String PRODUCED = "waterdrop.producer.messages.produced";
    /** Messages the broker acknowledged. */
    public static final String ACKNOWLEDGED = "waterdrop.producer.messages.acknowledged";
    /** Messages not delivered, tag {@code error} = librdkafka's error name. */
    public static final String FAILED = "waterdrop.producer.messages.failed";
    /** Produce calls that found the queue full and waited. */
    public static final String QUEUE_FULL_WAITS = "waterdrop.producer.queue.full.waits";
    /** Messages and events in librdkafka's queues (rd_kafka_outq_len). */
    public static final String QUEUE_LENGTH = "waterdrop.producer.queue.length";
    /** Delivery handles not completed yet. */
    public static final String IN_FLIGHT = "waterdrop.producer.in.flight";
    /** From produce to delivery report. */
    public static final String DELIVERY_LATENCY = "waterdrop.producer.delivery.latency";

    /** Time one delivery in this many by default (a power of two): see {@link #ProducerMeterBinder(Producer, Iterable, int)}. */
    public static final int DEFAULT_LATENCY_SAMPLE_INTERVAL = 32;

    private final Producer producer;
    private final ProducerCounters counters;
    private final Tags tags;
    private final List<Runnable> subscriptions = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;
    private StatisticsMeters statistics;
    private Runnable latencySubscription;
    private boolean closed;

    public ProducerMeterBinder(Producer producer) {
        this(producer, Tags.empty());
    }

    /** @param tags extra tags on every meter (keep them low-cardinality, and the same for every producer) */
    public ProducerMeterBinder(Producer producer, Iterable<Tag> tags) {
        this(producer, tags, DEFAULT_LATENCY_SAMPLE_INTERVAL);
    }

    /**
     * @param tags extra tags on every meter (keep them low-cardinality, and the same for every producer)
     * @param latencySampleInterval the {@value #DELIVERY_LATENCY} timer times one message in this many (a power of
     *     two; 1 = every message). Its percentiles and histogram stay representative, but its count is the number
     *     of sampled messages: take message rates from {@value #ACKNOWLEDGED}.
     * @throws IllegalArgumentException when the interval is not a power of two
     */
    public ProducerMeterBinder(Producer producer, Iterable<Tag> tags, int latencySampleInterval) {
        this.producer = producer;
        this.counters = producer.counters();
        this.tags = Tags.of(tags).and("producer", producer.name());
        this.counters.setLatencySampleInterval(latencySampleInterval);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("ProducerMeterBinder of producer '" + producer.name()
                    + "' is bound already; create one binder per registry");
        }
        if (closed) {
            throw new IllegalStateException("ProducerMeterBinder of producer '" + producer.name() + "' is closed");
        }
        this.registry = registry;
        subscriptions.add(counters.onConnected(this::register));
        subscriptions.add(counters.onClosed(this::unregister));
        subscriptions.add(counters.onNewErrorName(this::registerFailed));
        subscriptions.add(counters.onStatistics(stats -> registerStatistics()));
        if (producer.state() != ProducerState.CLOSED) {
            register();
        }
    }

    /** Whether the meters are registered now (between bind or connect and close). */
    public synchronized boolean isRegistered() {
        return !meters.isEmpty();
    }

    private synchronized void register() {
        if (closed || registry == null || !meters.isEmpty()) {
            return;
        }
        meters.add(FunctionCounter.builder(PRODUCED, counters, ProducerCounters::produced).tags(tags)
                .description("Messages librdkafka accepted").register(registry));
        meters.add(FunctionCounter.builder(ACKNOWLEDGED, counters, ProducerCounters::acknowledged).tags(tags)
                .description("Messages the broker acknowledged").register(registry));
        meters.add(FunctionCounter.builder(QUEUE_FULL_WAITS, counters, ProducerCounters::queueFullWaits)
                .tags(tags).description("Produce calls that found librdkafka's queue full and waited")
                .register(registry));
        meters.add(Gauge.builder(QUEUE_LENGTH, producer, Producer::queueLength).tags(tags).strongReference(true)
                .baseUnit("messages").description("Messages and events in librdkafka's queues").register(registry));
        meters.add(Gauge.builder(IN_FLIGHT, producer, Producer::pendingDeliveries).tags(tags).strongReference(true)
                .baseUnit("messages").description("Messages produced and not reported yet").register(registry));
        Timer latency = Timer.builder(DELIVERY_LATENCY).tags(tags)
                .description("Time from produce to the delivery report (sampled)").register(registry);
        meters.add(latency);
        latencySubscription = counters.addLatencyRecorder(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
        for (String error : counters.errorNames()) {
            registerFailed(error);
        }
        if (statisticsEnabled()) {
            statistics = new StatisticsMeters(counters, tags, registry);
            registerStatistics();
        }
    }

    private boolean statisticsEnabled() {
        String interval = producer.config().kafka().get("statistics.interval.ms");
        try {
            return interval != null && Integer.parseInt(interval.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private synchronized void registerFailed(String error) {
        if (closed || registry == null || meters.isEmpty()) {
            return;
        }
        meters.add(FunctionCounter.builder(FAILED, counters, c -> c.failed(error)).tags(tags).tag("error", error)
                .description("Messages not delivered, by librdkafka error").register(registry));
    }

    private synchronized void registerStatistics() {
        if (statistics != null) {
            statistics.registerNew();
        }
    }

    private synchronized void unregister() {
        if (latencySubscription != null) {
            latencySubscription.run();
            latencySubscription = null;
        }
        if (statistics != null) {
            statistics.removeAll();
            statistics = null;
        }
        meters.forEach(registry::remove);
        meters.clear();
    }

    /** Removes every meter and stops following the producer. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        subscriptions.forEach(Runnable::run);
        subscriptions.clear();
        if (registry != null) {
            unregister();
        }
        closed = true;
    }
}
