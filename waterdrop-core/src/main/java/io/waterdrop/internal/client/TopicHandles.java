package io.waterdrop.internal.client;

import io.waterdrop.internal.nativelib.LibRdKafka;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.Pointer;

/**
 * The rd_kafka_topic_t handles one client holds: for declared topics (so librdkafka knows them and keeps their
 * metadata fresh) and for topics produced through a variant (their topic settings live on the handle). Created lazily,
 * on first use by this client, so a client made by reopen, a fatal-error reload or a reconnect gets its own; each
 * handle is destroyed once, in {@link #destroy()}, before rd_kafka_destroy.
 *
 * <p>librdkafka 2.0.2 (src/rdkafka_topic.c rd_kafka_topic_new0): a client keeps ONE topic object per name, created by
 * whichever comes first (rd_kafka_topic_new with a configuration, or a message produced by name, which takes the
 * client's default topic configuration); rd_kafka_topic_new for a name the client already has returns that object
 * and destroys the configuration passed, and the object lives until rd_kafka_destroy (its partitions hold
 * references). So the producer lets only one variant use a topic ({@code VariantRegistry}), and the handle made here
 * for a topic always carries that variant's settings.
 */
final class TopicHandles {

    /** Declared topics beyond this many get no handle of ours (librdkafka still learns them on first use). */
    private static final int MAX_DECLARED = 1_000;

    private final LibRdKafka rd;
    private final Pointer rk;
    private final ConcurrentHashMap<String, Pointer> handles = new ConcurrentHashMap<>();

    TopicHandles(LibRdKafka rd, Pointer rk) {
        this.rd = rd;
        this.rk = rk;
    }

    /** The handle of a declared topic (the producer's own settings), or {@code null} past the cap or when refused. */
    Pointer declared(String topic) {
        Pointer cached = handles.get(topic);
        if (cached != null || handles.size() >= MAX_DECLARED) {
            return cached;
        }
        return handle(topic, TopicSettings.DEFAULT);
    }

    /**
     * The handle of {@code topic}, created with {@code settings} on first use; {@code null} when librdkafka refused
     * it (rd_kafka_topic_new takes ownership of the configuration either way).
     */
    Pointer handle(String topic, TopicSettings settings) {
        Pointer cached = handles.get(topic);
        if (cached != null) {
            return cached;
        }
        return handles.computeIfAbsent(topic,
                t -> rd.rd_kafka_topic_new(rk, t, settings.isDefault() ? null : settings.topicConf(rd, rk)));
    }

    /** Our references go before the client they belong to. Only once every produce and metadata call has ended. */
    void destroy() {
        handles.values().forEach(rd::rd_kafka_topic_destroy);
        handles.clear();
    }
}
