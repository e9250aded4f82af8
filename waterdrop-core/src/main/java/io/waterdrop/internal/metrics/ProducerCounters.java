package io.waterdrop.internal.metrics;

import io.waterdrop.KafkaError;
import io.waterdrop.ProducerMetrics;
import io.waterdrop.internal.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One producer's counters, updated where the producer already is: the producing thread counts what librdkafka
 * accepted, the polling thread counts delivery reports, errors and statistics. Cheap on the hot path: a
 * {@link LongAdder} increment per message, no map look-up unless a delivery failed, and clock reads only for the
 * sampled messages while a latency recorder (a Micrometer timer) is attached.
 */
public final class ProducerCounters {

    /** librdkafka's RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN. */
    static final int ALL_BROKERS_DOWN = -187;
    private static final Logger log = LoggerFactory.getLogger(ProducerCounters.class);

    private final LongAdder produced = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder queueFullWaits = new LongAdder();
    private final Map<String, LongAdder> failedByError = new ConcurrentHashMap<>();
    private volatile ProducerMetrics.LastError lastError;
    private volatile long allBrokersDownSinceMillis;
    private volatile ProducerMetrics.LastError authenticationFailure;
    private volatile BrokerCount brokers = BrokerCount.UNKNOWN;
    private volatile Map<String, Object> statistics;

    private final LongRecorders latencyRecorders = new LongRecorders();
    private volatile int latencySampleMask;
    private int latencyTick;
    private final List<Consumer<String>> errorNameListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Map<String, Object>>> statisticsListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> closedListeners = new CopyOnWriteArrayList<>();

    // ---------------------------------------------------------------- producing thread

    /**
     * The start of a delivery's latency: a clock read for one message in every {@link #setLatencySampleInterval}
     * while a recorder listens, else 0 (not timed). Clock reads are the expensive part of timing (about 150 ns each
     * on a VM), so timing every message of a bulk producer would cost more than all the counting.
     */
    public long deliveryStart() {
        if (latencyRecorders.isEmpty()) {
            return 0;
        }
        // A plain field: concurrent producing threads may lose a tick, which only moves the sample a little.
        return (++latencyTick & latencySampleMask) == 0 ? System.nanoTime() : 0;
    }

    /** Times one message in {@code interval} (a power of two; 1 times every message). */
    public void setLatencySampleInterval(int interval) {
        if (interval < 1 || Integer.bitCount(interval) != 1) {
            throw new IllegalArgumentException("latency sample interval must be a power of two >= 1 but was "
                    + interval);
        }
        latencySampleMask = interval - 1;
    }

    public void countProduced() {
        produced.increment();
    }

    /** A produce call found the queue full and waits (counted once per call, however long it waits). */
    public void queueFullWait() {
        queueFullWaits.increment();
    }

    // ---------------------------------------------------------------- polling thread

    /**
     * One delivery report.
     *
     * @param startNanos what {@link #deliveryStart()} returned when the message was produced
     * @param error {@code null} when delivered
     */
    public void delivered(long startNanos, KafkaError error) {
        if (error == null) {
            acknowledged.increment();
            if (allBrokersDownSinceMillis != 0 || authenticationFailure != null) {
                brokerUp(); // a broker acknowledged: not all of them are down, and it accepted our credentials
            }
        } else {
            failed.increment();
            failedByError(error.name()).increment();
            lastError = new ProducerMetrics.LastError("librdkafka.dispatch_error", error, Instant.now());
        }
        if (startNanos != 0) {
            latencyRecorders.record(System.nanoTime() - startNanos);
        }
    }

    /** librdkafka's error callback. */
    public void error(KafkaError error) {
        lastError = new ProducerMetrics.LastError("librdkafka.error", error, Instant.now());
        if (error.code() == ALL_BROKERS_DOWN && allBrokersDownSinceMillis == 0) {
            allBrokersDownSinceMillis = System.currentTimeMillis();
        }
        if (error.code() == KafkaError.AUTHENTICATION) {
            // Kept even when a later error (e.g. _ALL_BROKERS_DOWN) replaces lastError: health names the real cause.
            authenticationFailure = lastError;
        }
    }

    private void brokerUp() {
        allBrokersDownSinceMillis = 0;
        authenticationFailure = null;
    }

    /** librdkafka's statistics JSON (only emitted when {@code statistics.interval.ms} > 0). */
    @SuppressWarnings("unchecked")
    public void statistics(String json) {
        Map<String, Object> parsed;
        try {
            parsed = (Map<String, Object>) Json.parse(json);
        } catch (RuntimeException e) {
            log.warn("Could not read librdkafka's statistics: {}", e.toString());
            return;
        }
        statistics = parsed;
        BrokerCount count = BrokerCount.of(parsed);
        brokers = count;
        if (count.up > 0) {
            brokerUp();
        } else if (count.total > 0 && allBrokersDownSinceMillis == 0) {
            allBrokersDownSinceMillis = System.currentTimeMillis();
        }
        for (Consumer<Map<String, Object>> listener : statisticsListeners) {
            listener.accept(parsed);
        }
    }

    private LongAdder failedByError(String name) {
        LongAdder counter = failedByError.get(name);
        if (counter == null) {
            counter = failedByError.computeIfAbsent(name, n -> new LongAdder());
            for (Consumer<String> listener : errorNameListeners) {
                listener.accept(name);
            }
        }
        return counter;
    }

    // ---------------------------------------------------------------- lifecycle (any thread)

    /** The producer created its librdkafka client (again, after a reopen). */
    public void connected() {
        connectedListeners.forEach(Runnable::run);
    }

    /** The producer closed. */
    public void closed() {
        closedListeners.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- readers

    public long produced() {
        return produced.sum();
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long queueFullWaits() {
        return queueFullWaits.sum();
    }

    /** Failures of one librdkafka error name (0 when none). */
    public long failed(String errorName) {
        LongAdder counter = failedByError.get(errorName);
        return counter == null ? 0 : counter.sum();
    }

    /** Error names that failed at least one delivery. */
    public List<String> errorNames() {
        return List.copyOf(failedByError.keySet());
    }

    /** Brokers UP in the latest statistics, -1 before the first. */
    public int brokersUp() {
        return brokers.up;
    }

    /** Brokers known in the latest statistics (those with a node id, else the bootstrap ones), -1 before. */
    public int brokersKnown() {
        return brokers.total;
    }

    /** librdkafka's latest statistics, parsed, or {@code null} before the first. */
    public Map<String, Object> lastStatistics() {
        return statistics;
    }

    public ProducerMetrics snapshot(int inFlight) {
        Map<String, Long> byError = new LinkedHashMap<>();
        failedByError.forEach((name, counter) -> byError.put(name, counter.sum()));
        long downSince = allBrokersDownSinceMillis;
        BrokerCount count = brokers;
        return new ProducerMetrics(produced(), acknowledged(), failed(), byError, queueFullWaits(), inFlight,
                lastError, count.up, count.total, downSince == 0 ? null : Instant.ofEpochMilli(downSince),
                authenticationFailure);
    }

    // ---------------------------------------------------------------- listeners (meter binders)

    /** Times every delivery from produce to report; the recorder runs on the polling thread. */
    public Runnable addLatencyRecorder(LongConsumer recorder) {
        return latencyRecorders.add(recorder);
    }

    /** Told (on the polling thread) the first time a librdkafka error name fails a delivery. */
    public Runnable onNewErrorName(Consumer<String> listener) {
        return add(errorNameListeners, listener);
    }

    /** Told (on the polling thread) of every statistics emission, parsed. */
    public Runnable onStatistics(Consumer<Map<String, Object>> listener) {
        return add(statisticsListeners, listener);
    }

    public Runnable onConnected(Runnable listener) {
        return add(connectedListeners, listener);
    }

    public Runnable onClosed(Runnable listener) {
        return add(closedListeners, listener);
    }

    private static <T> Runnable add(List<T> listeners, T listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * A broker of the cluster's metadata (node id >= 0): a learned one, or a bootstrap one librdkafka matched to a
     * node id. Unmatched bootstrap entries go idle once the metadata is known.
     */
    public static boolean isClusterBroker(Object broker) {
        return broker instanceof Map<?, ?> map && map.get("nodeid") instanceof Number id && id.intValue() >= 0
                && ("learned".equals(map.get("source")) || "configured".equals(map.get("source")));
    }

    /** Brokers up and known in one statistics emission; librdkafka's internal and logical brokers left out. */
    private record BrokerCount(int up, int total) {

        static final BrokerCount UNKNOWN = new BrokerCount(-1, -1);

        /**
         * Brokers with a node id from the cluster's metadata when there are any, else the configured bootstrap
         * brokers (before the first metadata).
         */
        @SuppressWarnings("unchecked")
        static BrokerCount of(Map<String, Object> statistics) {
            Object brokers = statistics.get("brokers");
            if (!(brokers instanceof Map<?, ?> map)) {
                return UNKNOWN;
            }
            int learnedUp = 0;
            int learned = 0;
            int configuredUp = 0;
            int configured = 0;
            for (Object value : map.values()) {
                Map<String, Object> broker = (Map<String, Object>) value;
                boolean up = "UP".equals(broker.get("state"));
                if (isClusterBroker(broker)) {
                    learned++;
                    learnedUp += up ? 1 : 0;
                } else if ("configured".equals(broker.get("source"))) {
                    configured++;
                    configuredUp += up ? 1 : 0;
                }
            }
            return learned > 0 ? new BrokerCount(learnedUp, learned) : new BrokerCount(configuredUp, configured);
        }
    }
}
