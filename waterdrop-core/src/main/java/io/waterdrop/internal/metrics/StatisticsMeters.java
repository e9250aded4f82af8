package io.waterdrop.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * librdkafka's statistics JSON as meters: a few client totals, and per broker (tag {@code broker}, librdkafka's
 * broker name such as {@code localhost:9092/1}) round-trip times, retries, errors and whether it is up. Values are
 * read from the latest emission when the registry asks; brokers (those with a node id from the cluster's
 * metadata) get their meters the first time they appear; librdkafka's internal and logical brokers, and bootstrap
 * entries it never matched to a node, are left out.
 */
public final class StatisticsMeters {

    private static final double MICROS_PER_SECOND = 1_000_000.0;

    private final ProducerCounters counters;
    private final Tags tags;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Set<String> brokers = new HashSet<>();
    private boolean clientMetersRegistered;

    public StatisticsMeters(ProducerCounters counters, Tags tags, MeterRegistry registry) {
        this.counters = counters;
        this.tags = tags;
        this.registry = registry;
    }

    /** Registers the meters of what the latest statistics show and has no meters yet. */
    public void registerNew() {
        Map<String, Object> stats = counters.lastStatistics();
        if (stats == null) {
            return;
        }
        if (!clientMetersRegistered) {
            clientMetersRegistered = true;
            gauge("waterdrop.librdkafka.messages.queued", null, "Messages in librdkafka's producer queues (msg_cnt)",
                    s -> number(s.get("msg_cnt")));
            gauge("waterdrop.librdkafka.messages.queued.size", "bytes",
                    "Bytes of the messages in librdkafka's producer queues (msg_size)", s -> number(s.get("msg_size")));
            meters.add(FunctionCounter.builder("waterdrop.librdkafka.requests.sent", counters,
                    c -> latest(c, s -> number(s.get("tx")))).tags(tags)
                    .description("Requests sent to brokers (tx)").register(registry));
            gauge("waterdrop.producer.brokers.up", null, "Brokers in state UP per librdkafka's statistics",
                    s -> counters.brokersUp());
            gauge("waterdrop.producer.brokers.known", null, "Brokers librdkafka knows (learned, else configured)",
                    s -> counters.brokersKnown());
        }
        if (stats.get("brokers") instanceof Map<?, ?> all) {
            for (Map.Entry<?, ?> entry : all.entrySet()) {
                String name = String.valueOf(entry.getKey());
                if (ProducerCounters.isClusterBroker(entry.getValue()) && brokers.add(name)) {
                    registerBroker(name);
                }
            }
        }
    }

    private void registerBroker(String name) {
        Tags brokerTags = tags.and("broker", name);
        meters.add(Gauge.builder("waterdrop.librdkafka.broker.rtt.avg", counters,
                c -> latest(c, s -> rtt(s, name, "avg"))).tags(brokerTags).strongReference(true).baseUnit("seconds")
                .description("Average broker round-trip time over the last statistics interval").register(registry));
        meters.add(Gauge.builder("waterdrop.librdkafka.broker.rtt.p99", counters,
                c -> latest(c, s -> rtt(s, name, "p99"))).tags(brokerTags).strongReference(true).baseUnit("seconds")
                .description("99th percentile broker round-trip time over the last statistics interval")
                .register(registry));
        meters.add(Gauge.builder("waterdrop.librdkafka.broker.up", counters,
                c -> latest(c, s -> "UP".equals(broker(s, name).get("state")) ? 1 : 0)).tags(brokerTags)
                .strongReference(true).description("1 while librdkafka's connection to the broker is UP, else 0")
                .register(registry));
        meters.add(FunctionCounter.builder("waterdrop.librdkafka.broker.requests.retried", counters,
                c -> latest(c, s -> number(broker(s, name).get("txretries")))).tags(brokerTags)
                .description("Requests retried to the broker (txretries)").register(registry));
        meters.add(FunctionCounter.builder("waterdrop.librdkafka.broker.requests.failed", counters,
                c -> latest(c, s -> number(broker(s, name).get("txerrs")))).tags(brokerTags)
                .description("Requests to the broker that failed (txerrs)").register(registry));
    }

    public void removeAll() {
        meters.forEach(registry::remove);
        meters.clear();
        brokers.clear();
        clientMetersRegistered = false;
    }

    private void gauge(String name, String unit, String description, ToDoubleFunction<Map<String, Object>> value) {
        Gauge.Builder<ProducerCounters> builder = Gauge.builder(name, counters, c -> latest(c, value)).tags(tags)
                .strongReference(true).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        meters.add(builder.register(registry));
    }

    private static double latest(ProducerCounters counters, ToDoubleFunction<Map<String, Object>> value) {
        Map<String, Object> stats = counters.lastStatistics();
        return stats == null ? Double.NaN : value.applyAsDouble(stats);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> broker(Map<String, Object> stats, String name) {
        if (stats.get("brokers") instanceof Map<?, ?> all && all.get(name) instanceof Map<?, ?> broker) {
            return (Map<String, Object>) broker;
        }
        return Map.of();
    }

    private static double rtt(Map<String, Object> stats, String name, String field) {
        if (broker(stats, name).get("rtt") instanceof Map<?, ?> rtt) {
            return number(rtt.get(field)) / MICROS_PER_SECOND;
        }
        return Double.NaN;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
