package io.waterdrop.spring;

import io.waterdrop.PollingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration of WaterDrop producers and Pollers, bound from {@code waterdrop.*}.
 *
 * <pre>{@code
 * waterdrop:
 *   kafka:
 *     bootstrap.servers: localhost:9092
 *   pollers:
 *     critical: { poll-timeout: 500ms }
 *   producers:
 *     orders:
 *       kafka: { acks: all, enable.idempotence: "true" }
 *       polling: { poller: critical, fd: { max-time: 200ms } }
 * }</pre>
 *
 * <p>Defaults mirror {@link io.waterdrop.ProducerConfig} and {@link io.waterdrop.Poller}.
 */
@ConfigurationProperties("waterdrop")
public class WaterDropProperties {

    /** Name of the producer created when no {@code waterdrop.producers} are configured. */
    public static final String DEFAULT_PRODUCER = "default";

    /**
     * librdkafka settings shared by every producer, passed as-is (all strings), e.g. bootstrap.servers. A
     * producer's own kafka settings override them key by key.
     */
    private final Map<String, String> kafka = new LinkedHashMap<>();

    /**
     * Settings of dedicated Poller groups, by name. A group exists when a producer names it in polling.poller (one
     * Poller thread shared by those producers); an entry here only sets its options, and an entry that no producer
     * names fails startup.
     */
    private final Map<String, Poller> pollers = new LinkedHashMap<>();

    /**
     * Producers by name: one Producer bean per entry. When none is configured, one producer named 'default' is
     * created.
     */
    private final Map<String, Producer> producers = new LinkedHashMap<>();

    public Map<String, String> getKafka() {
        return this.kafka;
    }

    public Map<String, Poller> getPollers() {
        return this.pollers;
    }

    public Map<String, Producer> getProducers() {
        return this.producers;
    }

    /** A dedicated Poller group. */
    public static class Poller {

        /** How long the Poller waits for any producer to signal before polling every producer anyway. */
        private Duration pollTimeout = Duration.ofMillis(1000);

        public Duration getPollTimeout() {
            return this.pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }
    }

    /** One producer. */
    public static class Producer {

        /** librdkafka settings of this producer, merged over waterdrop.kafka (all strings, passed as-is). */
        private final Map<String, String> kafka = new LinkedHashMap<>();

        /** Whether this producer is the primary Producer bean (injected where no qualifier is given). */
        private boolean primary;

        private final Polling polling = new Polling();

        /** How Producer.typed() turns keys and payloads into bytes. */
        @NestedConfigurationProperty
        private final ProducerSerializersProperties serializers = new ProducerSerializersProperties();

        /**
         * Topics this producer sends to: connecting fetches their metadata (waiting up to 5 s, or max-wait-timeout
         * if shorter), so the first message to each goes out as fast as the next ones. A failure is logged and
         * reported as an error.occurred event; the producer still connects.
         */
        private List<String> topics = new ArrayList<>();

        /** How long produceSync and DeliveryHandle.await() wait for the broker's acknowledgement. */
        private Duration maxWaitTimeout = Duration.ofSeconds(60);

        /** How long a produce call retries while librdkafka's queue is full before it fails. */
        private Duration queueFullTimeout = Duration.ofSeconds(10);

        /**
         * How long closing (application shutdown included) waits for in-flight messages to be delivered before
         * purging what is left.
         */
        private Duration closeTimeout = Duration.ofSeconds(30);

        /** Largest payload accepted; bigger messages fail before anything is sent. Plain numbers are bytes. */
        @DataSizeUnit(DataUnit.BYTES)
        private DataSize maxPayloadSize = DataSize.ofBytes(1_000_000);

        /**
         * How long one attempt of a transactional step (init, commit, abort) may take before it is retried; all
         * attempts together are bounded by max-wait-timeout.
         */
        private Duration transactionAttemptTimeout = Duration.ofSeconds(10);

        /**
         * Whether a transactional producer re-creates its librdkafka client after a fatal error (for example when
         * fenced). Off by default: after fencing another instance usually owns the transactional.id.
         */
        private boolean reloadOnTransactionFatalError;

        /** Whether an idempotent, non-transactional producer re-creates its client after a fatal error. */
        private boolean reloadOnIdempotentFatalError;

        /** How many fatal-error reloads may follow each other before the error is surfaced for good. */
        private int maxFatalErrorReloads = 3;

        /** Back-off before the first fatal-error reload; doubles with each reload in a row. */
        private Duration fatalErrorReloadBackoff = Duration.ofSeconds(1);

        /**
         * How long the producer may be idle (nothing produced, nothing in flight, no transaction open) before it
         * releases its librdkafka client (connections, threads, Poller registration); the next send reconnects.
         * Unset or 0 = never (the default); at least 100ms otherwise.
         */
        private @Nullable Duration idleDisconnectTimeout;

        /** Variants by name: beans sending through this producer with other topic-level settings. */
        private final Map<String, WaterDropVariantProperties> variants = new LinkedHashMap<>();

        /**
         * Makes this entry a ProducerPool bean of that many transactional producers (instead of a Producer bean);
         * needs kafka transactional.id, member i uses transactional.id-i.
         */
        private @Nullable Integer poolSize;

        public Map<String, String> getKafka() {
            return this.kafka;
        }

        public Map<String, WaterDropVariantProperties> getVariants() {
            return this.variants;
        }

        public boolean isPrimary() {
            return this.primary;
        }

        public void setPrimary(boolean primary) {
            this.primary = primary;
        }

        public Polling getPolling() {
            return this.polling;
        }

        public ProducerSerializersProperties getSerializers() {
            return this.serializers;
        }

        public List<String> getTopics() {
            return this.topics;
        }

        public void setTopics(List<String> topics) {
            this.topics = topics;
        }

        public Duration getMaxWaitTimeout() {
            return this.maxWaitTimeout;
        }

        public void setMaxWaitTimeout(Duration maxWaitTimeout) {
            this.maxWaitTimeout = maxWaitTimeout;
        }

        public Duration getQueueFullTimeout() {
            return this.queueFullTimeout;
        }

        public void setQueueFullTimeout(Duration queueFullTimeout) {
            this.queueFullTimeout = queueFullTimeout;
        }

        public Duration getCloseTimeout() {
            return this.closeTimeout;
        }

        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        public DataSize getMaxPayloadSize() {
            return this.maxPayloadSize;
        }

        public void setMaxPayloadSize(DataSize maxPayloadSize) {
            this.maxPayloadSize = maxPayloadSize;
        }

        public Duration getTransactionAttemptTimeout() {
            return this.transactionAttemptTimeout;
        }

        public void setTransactionAttemptTimeout(Duration transactionAttemptTimeout) {
            this.transactionAttemptTimeout = transactionAttemptTimeout;
        }

        public boolean isReloadOnTransactionFatalError() {
            return this.reloadOnTransactionFatalError;
        }

        public void setReloadOnTransactionFatalError(boolean reloadOnTransactionFatalError) {
            this.reloadOnTransactionFatalError = reloadOnTransactionFatalError;
        }

        public boolean isReloadOnIdempotentFatalError() {
            return this.reloadOnIdempotentFatalError;
        }

        public void setReloadOnIdempotentFatalError(boolean reloadOnIdempotentFatalError) {
            this.reloadOnIdempotentFatalError = reloadOnIdempotentFatalError;
        }

        public int getMaxFatalErrorReloads() {
            return this.maxFatalErrorReloads;
        }

        public void setMaxFatalErrorReloads(int maxFatalErrorReloads) {
            this.maxFatalErrorReloads = maxFatalErrorReloads;
        }

        public Duration getFatalErrorReloadBackoff() {
            return this.fatalErrorReloadBackoff;
        }

        public void setFatalErrorReloadBackoff(Duration fatalErrorReloadBackoff) {
            this.fatalErrorReloadBackoff = fatalErrorReloadBackoff;
        }

        public @Nullable Integer getPoolSize() {
            return this.poolSize;
        }

        public void setPoolSize(@Nullable Integer poolSize) {
            this.poolSize = poolSize;
        }

        public @Nullable Duration getIdleDisconnectTimeout() {
            return this.idleDisconnectTimeout;
        }

        public void setIdleDisconnectTimeout(@Nullable Duration idleDisconnectTimeout) {
            this.idleDisconnectTimeout = idleDisconnectTimeout;
        }
    }

    /** How a producer's events are polled. */
    public static class Polling {

        /**
         * Polling mode: 'fd' registers the producer with a Poller (one thread for many producers), 'thread' gives
         * it a polling thread of its own.
         */
        private PollingMode mode = PollingMode.FD;

        /** Poller group (a key of waterdrop.pollers) serving this producer; unset means the global Poller. */
        private @Nullable String poller;

        private final FdPolling fd = new FdPolling();

        private final ThreadPolling thread = new ThreadPolling();

        public PollingMode getMode() {
            return this.mode;
        }

        public void setMode(PollingMode mode) {
            this.mode = mode;
        }

        public @Nullable String getPoller() {
            return this.poller;
        }

        public void setPoller(@Nullable String poller) {
            this.poller = poller;
        }

        public FdPolling getFd() {
            return this.fd;
        }

        public ThreadPolling getThread() {
            return this.thread;
        }
    }

    /** Settings of fd polling. */
    public static class FdPolling {

        /**
         * Time budget of this producer per Poller turn; a larger budget serves more events per turn (a higher
         * priority).
         */
        private Duration maxTime = Duration.ofMillis(100);

        /** Longest an idle producer goes without a poll while the Poller is busy with others (at least 100ms). */
        private Duration periodicPollInterval = Duration.ofMillis(1000);

        public Duration getMaxTime() {
            return this.maxTime;
        }

        public void setMaxTime(Duration maxTime) {
            this.maxTime = maxTime;
        }

        public Duration getPeriodicPollInterval() {
            return this.periodicPollInterval;
        }

        public void setPeriodicPollInterval(Duration periodicPollInterval) {
            this.periodicPollInterval = periodicPollInterval;
        }
    }

    /** Settings of thread polling. */
    public static class ThreadPolling {

        /** How long the producer's polling thread blocks in each rd_kafka_poll call. */
        private Duration pollTimeout = Duration.ofMillis(100);

        public Duration getPollTimeout() {
            return this.pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }
    }
}
