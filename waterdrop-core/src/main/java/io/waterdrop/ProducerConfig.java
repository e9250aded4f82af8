package io.waterdrop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Immutable producer configuration. Build it with {@link #builder()}; {@link Builder#build()} validates every setting
 * and throws a {@link ConfigurationException} that names the setting and what to do.
 *
 * <p>{@code kafka} holds librdkafka properties, passed as-is (all strings); librdkafka itself checks them when the
 * producer is created.
 */
public final class ProducerConfig {

    /** Default per-producer time budget per Poller turn. */
    public static final Duration DEFAULT_FD_MAX_TIME = Duration.ofMillis(100);
    public static final Duration DEFAULT_FD_PERIODIC_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MIN_FD_PERIODIC_POLL_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_THREAD_POLL_TIMEOUT = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_WAIT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_QUEUE_FULL_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PAYLOAD_SIZE = 1_000_000;
    /** The longest duration any setting takes: librdkafka's timeouts are int milliseconds. */
    public static final Duration MAX_DURATION = Duration.ofMillis(Integer.MAX_VALUE);
    public static final Duration DEFAULT_TRANSACTION_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_FATAL_ERROR_RELOADS = 3;
    public static final Duration DEFAULT_FATAL_ERROR_RELOAD_BACKOFF = Duration.ofSeconds(1);
    /** The shortest idle-disconnect-timeout (0 switches it off). */
    public static final long MIN_IDLE_DISCONNECT_MILLIS = 100;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final Map<String, String> kafka;
    private final PollingMode pollingMode;
    private final Poller poller;
    private final Duration fdMaxTime;
    private final Duration fdPeriodicPollInterval;
    private final Duration threadPollTimeout;
    private final Duration maxWaitTimeout;
    private final Duration queueFullTimeout;
    private final Duration closeTimeout;
    private final int maxPayloadSize;
    private final Duration transactionAttemptTimeout;
    private final boolean reloadOnTransactionFatalError;
    private final boolean reloadOnIdempotentFatalError;
    private final int maxFatalErrorReloads;
    private final Duration fatalErrorReloadBackoff;
    private final List<String> topics;
    private final Duration idleDisconnectTimeout;
    private final Serializers serializers;
    private final List<Middleware> middleware;

    private ProducerConfig(Builder b) {
        this.name = b.name != null ? b.name : String.valueOf(SEQUENCE.incrementAndGet());
        this.kafka = Collections.unmodifiableMap(new LinkedHashMap<>(b.kafka));
        this.pollingMode = b.pollingMode;
        this.poller = b.poller;
        this.fdMaxTime = b.fdMaxTime;
        this.fdPeriodicPollInterval = b.fdPeriodicPollInterval;
        this.threadPollTimeout = b.threadPollTimeout;
        this.maxWaitTimeout = b.maxWaitTimeout;
        this.queueFullTimeout = b.queueFullTimeout;
        this.closeTimeout = b.closeTimeout;
        this.maxPayloadSize = b.maxPayloadSize;
        this.transactionAttemptTimeout = b.transactionAttemptTimeout;
        this.reloadOnTransactionFatalError = b.reloadOnTransactionFatalError;
        this.reloadOnIdempotentFatalError = b.reloadOnIdempotentFatalError;
        this.maxFatalErrorReloads = b.maxFatalErrorReloads;
        this.fatalErrorReloadBackoff = b.fatalErrorReloadBackoff;
        this.topics = List.copyOf(b.topics);
        this.idleDisconnectTimeout = b.idleDisconnectTimeout;
        this.serializers = b.serializers;
        this.middleware = List.copyOf(b.middleware);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.kafka.putAll(kafka);
        b.pollingMode = pollingMode;
        b.poller = poller;
        b.fdMaxTime = fdMaxTime;
        b.fdPeriodicPollInterval = fdPeriodicPollInterval;
        b.threadPollTimeout = threadPollTimeout;
        b.maxWaitTimeout = maxWaitTimeout;
        b.queueFullTimeout = queueFullTimeout;
        b.closeTimeout = closeTimeout;
        b.maxPayloadSize = maxPayloadSize;
        b.transactionAttemptTimeout = transactionAttemptTimeout;
        b.reloadOnTransactionFatalError = reloadOnTransactionFatalError;
        b.reloadOnIdempotentFatalError = reloadOnIdempotentFatalError;
        b.maxFatalErrorReloads = maxFatalErrorReloads;
        b.fatalErrorReloadBackoff = fatalErrorReloadBackoff;
        b.topics.addAll(topics);
        b.idleDisconnectTimeout = idleDisconnectTimeout;
        b.serializers = serializers;
        b.middleware.addAll(middleware);
        return b;
    }

    /** The producer's name: used in thread names, events, errors and as librdkafka's default client.id suffix. */
    public String name() {
        return name;
    }

    /** librdkafka properties, as given. */
    public Map<String, String> kafka() {
        return kafka;
    }

    public PollingMode pollingMode() {
        return pollingMode;
    }

    /** The Poller an fd producer registers with: the configured one, else the global one. */
    public Poller poller() {
        return poller != null ? poller : Poller.global();
    }

    /** Whether a dedicated Poller was configured. */
    public boolean hasDedicatedPoller() {
        return poller != null;
    }

    public Duration fdMaxTime() {
        return fdMaxTime;
    }

    public Duration fdPeriodicPollInterval() {
        return fdPeriodicPollInterval;
    }

    public Duration threadPollTimeout() {
        return threadPollTimeout;
    }

    public Duration maxWaitTimeout() {
        return maxWaitTimeout;
    }

    /** The key and payload serializers {@link Producer#typed()} uses, and whether it adds a type header. */
    public Serializers serializers() {
        return serializers;
    }

    /** The topics whose metadata connect makes known up front (see {@link Builder#topics(String...)}). */
    public List<String> topics() {
        return topics;
    }

    /** The middleware chain a producer built from this starts with (see {@link Producer#middleware()}). */
    public List<Middleware> middleware() {
        return middleware;
    }

    /** How long the producer may be idle before it releases its client; {@link Duration#ZERO} when never. */
    public Duration idleDisconnectTimeout() {
        return idleDisconnectTimeout;
    }

    public Duration queueFullTimeout() {
        return queueFullTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public int maxPayloadSize() {
        return maxPayloadSize;
    }

    /** The longest one librdkafka transactional call may block before it is retried (within max-wait-timeout). */
    public Duration transactionAttemptTimeout() {
        return transactionAttemptTimeout;
    }

    /** Whether a fatal transactional error makes the producer re-create its librdkafka client. */
    public boolean reloadOnTransactionFatalError() {
        return reloadOnTransactionFatalError;
    }

    /** Whether a fatal error of an idempotent (non-transactional) producer makes the next send re-create the client. */
    public boolean reloadOnIdempotentFatalError() {
        return reloadOnIdempotentFatalError;
    }

    /** How many client re-creations in a row (without a committed transaction in between) are allowed. */
    public int maxFatalErrorReloads() {
        return maxFatalErrorReloads;
    }

    /** The wait before the first re-creation in a row; it doubles for each further one. */
    public Duration fatalErrorReloadBackoff() {
        return fatalErrorReloadBackoff;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProducerConfig[name=").append(name).append(", mode=").append(pollingMode);
        sb.append(", kafka={");
        kafka.forEach((k, v) -> sb.append(k).append('=').append(Secrets.displayValue(k, v)).append(", "));
        return sb.append("}]").toString();
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {

        private String name;
        private final Map<String, String> kafka = new LinkedHashMap<>();
        private PollingMode pollingMode = PollingMode.FD;
        private Poller poller;
        private Duration fdMaxTime = DEFAULT_FD_MAX_TIME;
        private Duration fdPeriodicPollInterval = DEFAULT_FD_PERIODIC_POLL_INTERVAL;
        private Duration threadPollTimeout = DEFAULT_THREAD_POLL_TIMEOUT;
        private Duration maxWaitTimeout = DEFAULT_MAX_WAIT_TIMEOUT;
        private Duration queueFullTimeout = DEFAULT_QUEUE_FULL_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int maxPayloadSize = DEFAULT_MAX_PAYLOAD_SIZE;
        private Duration transactionAttemptTimeout = DEFAULT_TRANSACTION_ATTEMPT_TIMEOUT;
        private boolean reloadOnTransactionFatalError;
        private boolean reloadOnIdempotentFatalError;
        private int maxFatalErrorReloads = DEFAULT_MAX_FATAL_ERROR_RELOADS;
        private Duration fatalErrorReloadBackoff = DEFAULT_FATAL_ERROR_RELOAD_BACKOFF;
        private final List<String> topics = new ArrayList<>();
        private Duration idleDisconnectTimeout = Duration.ZERO;
        private Serializers serializers = Serializers.DEFAULT;
        private final List<Middleware> middleware = new ArrayList<>();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets one librdkafka property, e.g. {@code kafka("bootstrap.servers", "localhost:9092")}. */
        public Builder kafka(String key, String value) {
            this.kafka.put(key, value);
            return this;
        }

        /** Adds librdkafka properties. */
        public Builder kafka(Map<String, String> properties) {
            this.kafka.putAll(properties);
            return this;
        }

        public Builder bootstrapServers(String servers) {
            return kafka("bootstrap.servers", servers);
        }

        public Builder pollingMode(PollingMode mode) {
            this.pollingMode = mode;
            return this;
        }

        /** A dedicated Poller (fd mode only); {@code null} means the global one. */
        public Builder poller(Poller poller) {
            this.poller = poller;
            return this;
        }

        /** How long the Poller may serve this producer per turn (fd mode); more budget, higher priority. */
        public Builder fdMaxTime(Duration maxTime) {
            this.fdMaxTime = maxTime;
            return this;
        }

        /** The longest an idle fd producer goes without a poll while the Poller is busy with others. */
        public Builder fdPeriodicPollInterval(Duration interval) {
            this.fdPeriodicPollInterval = interval;
            return this;
        }

        /** The rd_kafka_poll timeout of the polling thread (thread mode). */
        public Builder threadPollTimeout(Duration timeout) {
            this.threadPollTimeout = timeout;
            return this;
        }

        /** The longest {@code produceSync} and {@link DeliveryHandle#await()} wait for a report. */
        public Builder maxWaitTimeout(Duration timeout) {
            this.maxWaitTimeout = timeout;
            return this;
        }

        /** How long a produce retries while librdkafka's queue is full before failing. */
        public Builder queueFullTimeout(Duration timeout) {
            this.queueFullTimeout = timeout;
            return this;
        }

        /** How long {@link Producer#close()} flushes before purging what is left. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** The largest payload accepted, in bytes; bigger messages fail before anything is sent. */
        public Builder maxPayloadSize(int bytes) {
            this.maxPayloadSize = bytes;
            return this;
        }

        /**
         * The longest one librdkafka transactional call (init, commit, abort) may block. A call that times out, or
         * fails with another retriable error, is called again after a short back-off (librdkafka resumes it) until
         * {@code max-wait-timeout} has passed in total. Default 10 s.
         */
        public Builder transactionAttemptTimeout(Duration timeout) {
            this.transactionAttemptTimeout = timeout;
            return this;
        }

        /**
         * Whether a fatal transactional error (e.g. {@code PRODUCER_FENCED}, {@code INVALID_PRODUCER_EPOCH}) makes
         * the producer re-create its librdkafka client, so the next {@code transaction()} works again. The failed
         * transaction still throws; messages in flight on the dead client fail. Off by default: a fenced producer
         * usually means another instance now owns the {@code transactional.id}, and re-creating fences it in turn.
         */
        public Builder reloadOnTransactionFatalError(boolean reload) {
            this.reloadOnTransactionFatalError = reload;
            return this;
        }

        /**
         * Whether a fatal error of an idempotent producer (e.g. a sequence desynchronization with the broker) makes
         * the next send re-create the librdkafka client and send on the new one. Messages in flight on the dead client
         * fail (their handles complete with a purge error). Off by default: the fatal error means librdkafka could no
         * longer guarantee order or exactly-once delivery for what was in flight.
         */
        public Builder reloadOnIdempotentFatalError(boolean reload) {
            this.reloadOnIdempotentFatalError = reload;
            return this;
        }

        /**
         * How many re-creations before fatal errors stay fatal: in a row for transactional producers (a committed
         * transaction resets the count), over the producer's life for idempotent ones. Default 3.
         */
        public Builder maxFatalErrorReloads(int reloads) {
            this.maxFatalErrorReloads = reloads;
            return this;
        }

        /** The wait before the first re-creation in a row, doubling for each further one. Default 1 s. */
        public Builder fatalErrorReloadBackoff(Duration backoff) {
            this.fatalErrorReloadBackoff = backoff;
            return this;
        }

        /**
         * Topics this producer will send to. Connecting then fetches their metadata (one request, waiting up to
         * 5 s, or {@code max-wait-timeout} if shorter), so the first message to each goes out as fast as the next
         * ones instead of waiting for librdkafka to learn the topic. When the request fails or a topic is unknown,
         * connect still succeeds and the producer reports an {@code error.occurred} event
         * ({@code topics.metadata}). Replaces topics set before.
         */
        public Builder topics(String... topics) {
            return topics(topics == null ? null : Arrays.asList(topics));
        }

        /** {@link #topics(String...)} from a list. */
        public Builder topics(List<String> topics) {
            this.topics.clear();
            if (topics == null) {
                throw new ConfigurationException("topics", "topics must not be null; leave it unset for none");
            }
            this.topics.addAll(topics);
            return this;
        }

        /**
         * Releases the librdkafka client (its broker connections, its threads and its Poller registration) once the
         * producer has been idle for longer than {@code timeout}: nothing produced, no delivery pending, librdkafka's
         * queue empty, no transaction open. The next produce or transaction reconnects transparently (a transactional
         * producer calls init_transactions again), with events {@code producer.disconnected} and
         * {@code producer.reconnected}. Off ({@code null} or {@link Duration#ZERO}) by default; at least
         * {@value #MIN_IDLE_DISCONNECT_MILLIS} ms otherwise. The check runs every half timeout, at least every
         * second, so the client goes between 1 and 1.5 timeouts after the last message (timeouts up to 2 s), or
         * within 2 s after the timeout.
         */
        public Builder idleDisconnectTimeout(Duration timeout) {
            this.idleDisconnectTimeout = timeout == null ? Duration.ZERO : timeout;
            return this;
        }

        /** How {@link Producer#typed()} turns keys into bytes; {@link Serializer#string()} by default. */
        public Builder keySerializer(Serializer<?> serializer) {
            this.serializers = serializers.withKey(required("key-serializer", serializer));
            return this;
        }

        /** How {@link Producer#typed()} turns payloads into bytes; {@link Serializer#bytes()} by default. */
        public Builder payloadSerializer(Serializer<?> serializer) {
            this.serializers = serializers.withPayload(required("payload-serializer", serializer));
            return this;
        }

        /**
         * Whether {@link Producer#typed()} adds a {@value TypedProducer#TYPE_HEADER} header with the payload's class
         * name, as spring-kafka's JSON serializer does (off by default).
         */
        public Builder typeHeader(boolean typeHeader) {
            this.serializers = serializers.withTypeHeader(typeHeader);
            return this;
        }

        private static <T> T required(String setting, T value) {
            if (value == null) {
                throw new ConfigurationException(setting, setting + " must not be null");
            }
            return value;
        }

        /**
         * Appends a {@link Middleware} to the chain the producer starts with; it runs after those added before.
         * {@link Producer#middleware()} changes the chain later.
         */
        public Builder middleware(Middleware middleware) {
            if (middleware == null) {
                throw new ConfigurationException("middleware", "middleware must not be null");
            }
            this.middleware.add(middleware);
            return this;
        }

        public ProducerConfig build() {
            if (name != null && (name.isBlank() || !name.matches("[A-Za-z0-9._-]+"))) {
                throw new ConfigurationException("name", "name must be letters, digits, '.', '_' or '-' but was '"
                        + name.replace("\0", "\\u0000") + "'");
            }
            if (pollingMode == null) {
                throw new ConfigurationException("polling.mode", "polling.mode must be one of thread, fd");
            }
            if (poller != null && pollingMode != PollingMode.FD) {
                throw new ConfigurationException("polling.poller",
                        "polling.poller can only be set when polling.mode is fd (it is " + pollingMode
                                + "); remove the poller or switch the mode to fd");
            }
            atLeast("polling.fd.max-time", fdMaxTime, Duration.ofMillis(1));
            atLeast("polling.fd.periodic-poll-interval", fdPeriodicPollInterval, MIN_FD_PERIODIC_POLL_INTERVAL);
            atLeast("polling.thread.poll-timeout", threadPollTimeout, Duration.ofMillis(1));
            atLeast("max-wait-timeout", maxWaitTimeout, Duration.ofMillis(1));
            atLeast("queue-full-timeout", queueFullTimeout, Duration.ZERO);
            atLeast("close-timeout", closeTimeout, Duration.ZERO);
            atLeast("transaction-attempt-timeout", transactionAttemptTimeout, Duration.ofMillis(1));
            atLeast("fatal-error-reload-backoff", fatalErrorReloadBackoff, Duration.ZERO);
            if (!idleDisconnectTimeout.isZero()) {
                atLeast("idle-disconnect-timeout", idleDisconnectTimeout,
                        Duration.ofMillis(MIN_IDLE_DISCONNECT_MILLIS));
            }
            if (maxFatalErrorReloads < 0) {
                throw new ConfigurationException("max-fatal-error-reloads",
                        "max-fatal-error-reloads must be at least 0 but was " + maxFatalErrorReloads);
            }
            if (maxPayloadSize < 1) {
                throw new ConfigurationException("max-payload-size",
                        "max-payload-size must be at least 1 byte but was " + maxPayloadSize);
            }
            for (Map.Entry<String, String> e : kafka.entrySet()) {
                checkKafkaSetting(e.getKey(), e.getValue());
            }
            for (int i = 0; i < topics.size(); i++) {
                checkTopic(i, topics.get(i));
            }
            return new ProducerConfig(this);
        }

        /**
         * librdkafka takes keys and values as C strings: a NUL character would silently cut them (a value cut short
         * is a different setting). The value is never shown: it may be a secret.
         */
        private static void checkKafkaSetting(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new ConfigurationException("kafka", "kafka settings contain an empty key");
            }
            if (key.indexOf('\0') >= 0) {
                String shown = key.replace("\0", "\\u0000");
                throw new ConfigurationException("kafka." + shown, "kafka setting name '" + shown + "' contains a NUL "
                        + "character (\\u0000), which librdkafka would cut the name at; remove it");
            }
            if (value == null) {
                throw new ConfigurationException("kafka." + key, "kafka." + key
                        + " has no value; give it a string value or remove it");
            }
            if (value.indexOf('\0') >= 0) {
                throw new ConfigurationException("kafka." + key, "kafka." + key + " contains a NUL character "
                        + "(\\u0000), which librdkafka would cut the value at; remove it");
            }
        }

        /** A declared topic follows the rule every message's topic does (Message checks it). */
        private static void checkTopic(int index, String topic) {
            try {
                Message.of(topic, (byte[]) null);
            } catch (InvalidMessageException e) {
                // "Invalid message: topic <reason>": keep the reason, name the setting instead.
                String reason = e.getMessage().substring(("Invalid message: " + e.field() + " ").length());
                throw new ConfigurationException("topics[" + index + "]", "topics[" + index + "] " + reason
                        + "; fix or remove it");
            }
        }

        /** "250ms", or the ISO form for a duration too large for milliseconds. */
        static String shown(Duration value) {
            try {
                return value.toMillis() + "ms";
            } catch (ArithmeticException e) {
                return value.toString();
            }
        }

        private static void atLeast(String key, Duration value, Duration min) {
            if (value == null) {
                throw new ConfigurationException(key, key + " must be set (at least " + min.toMillis() + "ms)");
            }
            if (value.compareTo(min) < 0) {
                throw new ConfigurationException(key, key + " must be at least " + min.toMillis() + "ms but was "
                        + shown(value));
            }
            if (value.compareTo(MAX_DURATION) > 0) {
                // Waits end up as int milliseconds (librdkafka's timeouts) or nanoseconds: keep them representable.
                throw new ConfigurationException(key, key + " must be at most " + MAX_DURATION.toMillis()
                        + "ms (about 24 days) but was " + shown(value));
            }
        }
    }
}
