package io.waterdrop.internal.client;

import io.waterdrop.ConfigurationException;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLibraries;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jnr.ffi.Pointer;
import jnr.ffi.byref.NativeLongByReference;

/**
 * The topic-level librdkafka settings of one producer variant, checked when the variant is created. Two variants with
 * the same settings are equal (they may share topics); {@link #DEFAULT} (no settings) is the producer's own.
 *
 * <p>librdkafka 2.0.2 facts the checks rely on (src/rdkafka_conf.c, rd_kafka_topic_conf_finalize): the topic-level
 * producer properties are the {@code _RK_TOPIC | _RK_PRODUCER} ones in {@link #KEYS} (the others of that scope are
 * deprecated, consumer-only or function pointers); every other name is client-level or unknown, and a variant shares
 * its producer's client. {@code rd_kafka_topic_new} refuses a topic configuration that conflicts with the client's
 * (idempotence needs {@code acks=all}; a transactional client needs {@code message.timeout.ms <=
 * transaction.timeout.ms}; {@code message.timeout.ms} must exceed a {@code linger.ms} set on the client): those
 * checks run here, since librdkafka would only make them when the variant's first message creates its topic handle.
 */
public final class TopicSettings {

    /** The producer's own settings: messages go by topic name, with the client's default topic configuration. */
    public static final TopicSettings DEFAULT = new TopicSettings(Map.of());

    /** librdkafka 2.0.2's topic-level producer properties that take a string (rdkafka_conf.c, scope _RK_TOPIC). */
    public static final Set<String> KEYS = Set.of("acks", "request.required.acks", "request.timeout.ms",
            "message.timeout.ms", "delivery.timeout.ms", "partitioner", "compression.type", "compression.codec",
            "compression.level");
    /** librdkafka's topic-level consumer properties: legal in a topic configuration, ignored by a producer. */
    private static final Set<String> CONSUMER_KEYS = Set.of("auto.commit.enable", "enable.auto.commit",
            "auto.commit.interval.ms", "auto.offset.reset", "offset.store.path", "offset.store.sync.interval.ms",
            "offset.store.method", "consume.callback.max.messages");
    private static final String ALLOWED = String.join(", ", new TreeSet<>(KEYS));
    private static final int ERRSTR_SIZE = 512;

    private final Map<String, String> settings;

    private TopicSettings(Map<String, String> settings) {
        this.settings = settings;
    }

    /**
     * Checks {@code settings} (names, then values with librdkafka, then against the producer's client settings) and
     * returns them; no settings give {@link #DEFAULT}.
     *
     * @param producerKafka the producer's librdkafka settings, which the variant's topic configuration starts from
     * @throws ConfigurationException naming the first bad key and what to do
     */
    public static TopicSettings of(String producer, Map<String, String> settings, Map<String, String> producerKafka) {
        if (settings == null) {
            throw new ConfigurationException("variant", "Variant settings of producer '" + producer + "' are null; "
                    + "pass topic-level librdkafka settings, e.g. Map.of(\"acks\", \"0\")");
        }
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            checkKey(producer, e.getKey(), e.getValue());
            sorted.put(e.getKey(), e.getValue());
        }
        if (sorted.isEmpty()) {
            return DEFAULT;
        }
        LibRdKafka rd = NativeLibraries.rdkafka();
        Pointer conf = rd.rd_kafka_topic_conf_new();
        try {
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                set(rd, conf, e.getKey(), e.getValue());
            }
            checkAgainstClient(producer, rd, conf, sorted, producerKafka);
        } finally {
            rd.rd_kafka_topic_conf_destroy(conf);
        }
        return new TopicSettings(Collections.unmodifiableMap(sorted));
    }

    private static void checkKey(String producer, String key, String value) {
        if (key == null || key.isBlank()) {
            throw new ConfigurationException("kafka", "Variant settings of producer '" + producer
                    + "' contain an empty key");
        }
        String shown = key.replace("\0", "\\u0000");
        if (!KEYS.contains(key)) {
            throw new ConfigurationException("kafka." + shown, "kafka." + shown + " cannot be set on a variant of "
                    + "producer '" + producer + "': " + why(key) + ". A variant takes topic-level settings only: "
                    + ALLOWED);
        }
        if (value == null || value.indexOf('\0') >= 0) {
            throw new ConfigurationException("kafka." + key, "kafka." + key + " of a variant of producer '" + producer
                    + "' " + (value == null ? "has no value; give it a string value or remove it"
                            : "contains a NUL character (\\u0000), which librdkafka would cut it at; remove it"));
        }
    }

    private static String why(String key) {
        if (CONSUMER_KEYS.contains(key)) {
            return "it is a consumer setting, which a producer ignores; remove it";
        }
        if (key.indexOf('\0') < 0 && isClientLevel(key)) {
            return "it is a client-level setting, and every variant shares its producer's librdkafka client; set it "
                    + "on the producer (its kafka settings), or use another producer for other values";
        }
        return "it is not a librdkafka setting (a typo?); fix or remove it";
    }

    /** Whether librdkafka knows {@code key} as a client (global) property; asks without setting anything. */
    private static boolean isClientLevel(String key) {
        LibRdKafka rd = NativeLibraries.rdkafka();
        Pointer conf = rd.rd_kafka_conf_new();
        try {
            return rd.rd_kafka_conf_get(conf, key, null, new NativeLongByReference(0)) != LibRdKafka.CONF_UNKNOWN;
        } finally {
            rd.rd_kafka_conf_destroy(conf);
        }
    }

    /** Sets one checked property on a topic configuration; {@code rd_kafka_topic_new} then owns {@code conf}. */
    static void set(LibRdKafka rd, Pointer conf, String key, String value) {
        byte[] errstr = new byte[ERRSTR_SIZE];
        if (rd.rd_kafka_topic_conf_set(conf, key, value, errstr, errstr.length) != LibRdKafka.CONF_OK) {
            // Topic-level settings hold no secrets, so the value may be shown.
            throw new ConfigurationException("kafka." + key, "librdkafka rejected kafka." + key + "=" + value
                    + " of a variant: " + NativeProducer.cString(errstr));
        }
    }

    /** rd_kafka_topic_conf_finalize's rules (librdkafka 2.0.2), for the keys the variant sets. */
    private static void checkAgainstClient(String producer, LibRdKafka rd, Pointer conf, Map<String, String> variant,
            Map<String, String> client) {
        boolean transactional = !client.getOrDefault("transactional.id", "").isEmpty();
        boolean idempotent = transactional || isTrue(client.get("enable.idempotence"));
        String acksKey = variant.containsKey("acks") ? "acks" : "request.required.acks";
        if (idempotent && variant.containsKey(acksKey) && read(rd, conf, "acks") != -1) {
            throw new ConfigurationException("kafka." + acksKey, "kafka." + acksKey + "=" + variant.get(acksKey)
                    + " cannot be set on a variant of producer '" + producer + "': the producer is idempotent"
                    + (transactional ? " (transactional)" : "") + ", and librdkafka then requires acks=all; use a "
                    + "producer without enable.idempotence for other acks");
        }
        String timeoutKey = variant.containsKey("message.timeout.ms") ? "message.timeout.ms"
                : variant.containsKey("delivery.timeout.ms") ? "delivery.timeout.ms" : null;
        if (timeoutKey == null) {
            return;
        }
        long timeout = read(rd, conf, "message.timeout.ms");
        long transactionTimeout = transactional
                ? (long) number(client.get("transaction.timeout.ms"), 60_000) : Long.MAX_VALUE;
        if (timeout > transactionTimeout) {
            throw new ConfigurationException("kafka." + timeoutKey, "kafka." + timeoutKey + "=" + timeout
                    + " of a variant of producer '" + producer + "' must be <= its transaction.timeout.ms ("
                    + transactionTimeout + "), as librdkafka requires of a transactional producer");
        }
        String linger = client.containsKey("linger.ms") ? client.get("linger.ms")
                : client.get("queue.buffering.max.ms");
        if (linger != null && timeout != 0 && timeout <= number(linger, 0)) {
            throw new ConfigurationException("kafka." + timeoutKey, "kafka." + timeoutKey + "=" + timeout
                    + " of a variant of producer '" + producer + "' must be greater than its linger.ms (" + linger
                    + "), as librdkafka requires");
        }
    }

    /** A client setting librdkafka already accepted, as a number ({@code otherwise} when unset or unreadable). */
    private static double number(String value, double otherwise) {
        try {
            return value == null ? otherwise : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** librdkafka reads a bool as true/t/1 (any case). */
    private static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("t") || v.equals("1");
    }

    /** An int property as librdkafka parsed it (rd_kafka_topic_conf_get prints ints with %i). */
    private static long read(LibRdKafka rd, Pointer conf, String key) {
        byte[] dest = new byte[32];
        NativeLongByReference size = new NativeLongByReference(dest.length);
        rd.rd_kafka_topic_conf_get(conf, key, dest, size);
        return Long.parseLong(NativeProducer.cString(dest));
    }

    /** The settings, sorted by key. */
    public Map<String, String> settings() {
        return settings;
    }

    public boolean isDefault() {
        return settings.isEmpty();
    }

    /** The partitioner this variant sets, or {@code null} when it keeps the producer's. */
    public String partitioner() {
        return settings.get("partitioner");
    }

    /** Either "the producer's own settings" or "variant {acks=0}", for error messages. */
    public String describe() {
        return isDefault() ? "the producer's own settings" : "variant " + settings;
    }

    /** Creates the topic configuration of a new topic handle: the client's default, then these settings. */
    Pointer topicConf(LibRdKafka rd, Pointer rk) {
        Pointer conf = rd.rd_kafka_default_topic_conf_dup(rk);
        try {
            settings.forEach((key, value) -> set(rd, conf, key, value));
        } catch (RuntimeException e) {
            rd.rd_kafka_topic_conf_destroy(conf);
            throw e;
        }
        return conf;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSettings other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
