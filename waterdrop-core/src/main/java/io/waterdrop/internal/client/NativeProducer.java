package io.waterdrop.internal.client;

import io.waterdrop.ConfigurationException;
import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.Secrets;
import io.waterdrop.TransactionException;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLayouts.Metadata;
import io.waterdrop.internal.nativelib.NativeLayouts.MetadataTopic;
import io.waterdrop.internal.nativelib.NativeLibraries;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;

/**
 * Owns one librdkafka producer handle (rd_kafka_t) and its main queue.
 *
 * <p>Ownership rules: the handle is created in {@link #create} and destroyed exactly once in {@link #destroy()}. No
 * callback is registered with librdkafka: delivery reports, errors, statistics and logs are events served by
 * {@link #serve} on our polling thread (see {@link MainQueue}). The owner (a Producer) guarantees no call starts
 * after destroy (it stops producing and polling first).
 */
public final class NativeProducer {

    private static final int ERRSTR_SIZE = 512;
    private static final Map<Integer, KafkaError> ERRORS = new ConcurrentHashMap<>();
    /** Handles created and not destroyed yet, in this JVM; a leak shows here. */
    private static final AtomicInteger OPEN_HANDLES = new AtomicInteger();

    private final LibRdKafka rd;
    private final Pointer rk;
    private final String name;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final MainQueue mainQueue;
    /** rd_kafka_topic_t per declared or variant topic; ours until {@link #destroy()}. */
    private final TopicHandles topicHandles;

    private NativeProducer(LibRdKafka rd, Pointer rk, String name, NativeEvents events) {
        this.rd = rd;
        this.rk = rk;
        this.name = name;
        this.mainQueue = new MainQueue(rd, rk, events);
        this.topicHandles = new TopicHandles(rd, rk);
    }

    /**
     * Checks every property with librdkafka without creating a client, so bad settings fail when the producer is
     * built, not on its first message.
     */
    public static void validate(Map<String, String> properties) {
        DeliveryContract.check(properties);
        LibRdKafka rd = NativeLibraries.rdkafka();
        Pointer conf = rd.rd_kafka_conf_new();
        try {
            applyProperties(rd, conf, properties);
        } finally {
            rd.rd_kafka_conf_destroy(conf);
        }
    }

    /** Creates the librdkafka producer; what its main queue reports goes to {@code events} in {@link #serve}. */
    public static NativeProducer create(String name, Map<String, String> properties, NativeEvents events) {
        LibRdKafka rd = NativeLibraries.rdkafka();
        Pointer conf = rd.rd_kafka_conf_new();
        try {
            applyProperties(rd, conf, properties);
            // Logs go to the main queue (see set_log_queue below) so they are served on OUR polling thread, never
            // on librdkafka's internal threads.
            set(rd, conf, "log.queue", "true");
            // Events, not callbacks (librdkafka 2.0.2 rd_kafka_poll_cb): with EVENT_DR and no dr_msg_cb,
            // rd_kafka_flush and the transactional calls (abort_transaction flushes, commit_transaction flushes)
            // only WAIT for the reports instead of serving the queue on the caller's thread. rd_kafka_queue_poll
            // returns error, stats and log ops as events whatever the mask, so they are served the same way; with
            // no callback registered at all, no librdkafka call can run Java code on an application thread.
            rd.rd_kafka_conf_set_events(conf, LibRdKafka.EVENT_DR | LibRdKafka.EVENT_ERROR | LibRdKafka.EVENT_STATS
                    | LibRdKafka.EVENT_LOG);
        } catch (RuntimeException e) {
            rd.rd_kafka_conf_destroy(conf);
            throw e;
        }
        byte[] errstr = new byte[ERRSTR_SIZE];
        Pointer rk = rd.rd_kafka_new(LibRdKafka.RD_KAFKA_PRODUCER, conf, errstr, errstr.length);
        if (rk == null) {
            // rd_kafka_new only takes ownership of conf on success.
            rd.rd_kafka_conf_destroy(conf);
            throw new ConfigurationException("kafka", "librdkafka could not create producer '" + name + "': "
                    + maskSecrets(cString(errstr), properties));
        }
        rd.rd_kafka_set_log_queue(rk, null);
        NativeProducer created;
        try {
            created = new NativeProducer(rd, rk, name, events);
        } catch (RuntimeException | Error e) {
            rd.rd_kafka_destroy(rk); // nothing else holds it yet
            throw e;
        }
        OPEN_HANDLES.incrementAndGet();
        return created;
    }

    private static void applyProperties(LibRdKafka rd, Pointer conf, Map<String, String> properties) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            set(rd, conf, e.getKey(), e.getValue());
        }
    }

    private static void set(LibRdKafka rd, Pointer conf, String key, String value) {
        byte[] errstr = new byte[ERRSTR_SIZE];
        int result = rd.rd_kafka_conf_set(conf, key, value, errstr, errstr.length);
        if (result != LibRdKafka.CONF_OK) {
            // An unknown key may be a misspelled secret ("sasl.pasword"): its value never helps, so never show it.
            String shown = result == LibRdKafka.CONF_UNKNOWN ? Secrets.MASK : Secrets.displayValue(key, value);
            throw new ConfigurationException("kafka." + key, "librdkafka rejected kafka." + key + "=" + shown + ": "
                    + maskValue(cString(errstr), value, shown));
        }
    }

    /** librdkafka's errstr may quote the value; never let a secret through that way. */
    private static String maskValue(String errstr, String value, String shown) {
        return value.isEmpty() || value.equals(shown) ? errstr : errstr.replace(value, shown);
    }

    /**
     * rd_kafka_new's errstr may quote any property's value (e.g. {@code Failed to open ssl.keystore.location: /path}):
     * mask every secret value it contains.
     */
    private static String maskSecrets(String errstr, Map<String, String> properties) {
        String masked = errstr;
        // Longest first: a short secret inside a longer one (a password inside a path) must not break its match.
        List<String> secrets = properties.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() && Secrets.isSecret(e.getKey()))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        for (String secret : secrets) {
            masked = masked.replace(secret, Secrets.MASK);
        }
        return masked;
    }

    static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        // librdkafka ends some messages (e.g. "... outside allowed range 1..1000000\n") with a newline.
        return new String(buf, 0, len, StandardCharsets.UTF_8).strip();
    }

    /** librdkafka's own error for a code, cached. */
    public static KafkaError error(int code) {
        return ERRORS.computeIfAbsent(code, c -> {
            LibRdKafka rd = NativeLibraries.rdkafka();
            return new KafkaError(c, rd.rd_kafka_err2name(c), rd.rd_kafka_err2str(c));
        });
    }

    public String name() {
        return name;
    }

    /**
     * Hands one message to librdkafka (copied; the caller's arrays are not retained).
     *
     * @param partition the partition to use (already resolved from the partition key, if any)
     * @return 0 when accepted, else the rd_kafka_resp_err_t (e.g. {@link KafkaError#QUEUE_FULL})
     */
    public int produce(Message message, int partition, long opaque) {
        return ProduceCall.produce(rd, rk, message, partition, opaque, null);
    }

    /**
     * Like {@link #produce(Message, int, long)}, with a variant's topic settings: the message goes with the topic's
     * handle (RD_KAFKA_VTYPE_RKT; librdkafka 2.0.2 produceva takes it and keeps its own reference per message).
     * The caller made sure the topic belongs to that variant ({@code VariantRegistry}).
     */
    public int produce(Message message, int partition, long opaque, TopicSettings settings) {
        if (settings.isDefault()) {
            return produce(message, partition, opaque);
        }
        Pointer rkt = topicHandles.handle(message.topic(), settings);
        // NULL only when rd_kafka_topic_new refused the configuration, which TopicSettings checked already.
        return rkt == null ? KafkaError.INVALID_ARG : ProduceCall.produce(rd, rk, message, partition, opaque, rkt);
    }

    /**
     * Produces {@code messages[from, to)}, all of {@code message.topic()} of the first, to {@code partition} in one
     * call ({@link ProduceBatchCall}): {@code errs[i - from]} gets each message's result.
     *
     * @return false when there is no topic handle for it (nothing was sent: use {@link #produce} per message)
     */
    public boolean produceBatch(List<Message> messages, int from, int to, int partition, long[] opaques,
            TopicSettings settings, int[] errs) {
        String topic = messages.get(from).topic();
        // The declared-topics cap keeps the default producer's handles bounded; a variant's topic has its handle.
        Pointer rkt = settings.isDefault() ? topicHandles.declared(topic) : topicHandles.handle(topic, settings);
        if (rkt == null) {
            return false;
        }
        ProduceBatchCall.produce(rd, rkt, messages, from, to, partition, opaques, errs);
        return true;
    }

    /**
     * The partition count of a topic from a metadata request (blocking, up to {@code timeoutMs}), or the error: the
     * request's own (e.g. {@code _TIMED_OUT} when no broker answered) or the topic's (UNKNOWN_TOPIC_OR_PART, or
     * LEADER_NOT_AVAILABLE while the broker creates it).
     */
    public PartitionKeys.Lookup partitionCount(String topic, int timeoutMs, TopicSettings settings) {
        // A variant's topic is asked about through its own handle: a handle made here with the default settings
        // would fix the topic's settings in this client before the variant's first message (TopicHandles).
        Pointer rkt = settings.isDefault() ? rd.rd_kafka_topic_new(rk, topic, null)
                : topicHandles.handle(topic, settings);
        if (rkt == null) {
            return PartitionKeys.Lookup.failed(KafkaError.UNKNOWN_TOPIC_OR_PART);
        }
        try {
            Map<String, int[]> known = new HashMap<>();
            int err = metadata(rkt, timeoutMs, known);
            if (err != 0) {
                return PartitionKeys.Lookup.failed(err);
            }
            int[] found = known.get(topic);
            if (found == null) {
                return PartitionKeys.Lookup.failed(KafkaError.UNKNOWN_TOPIC_OR_PART);
            }
            if (found[0] != 0 || found[1] <= 0) {
                return PartitionKeys.Lookup.failed(found[0] != 0 ? found[0] : KafkaError.UNKNOWN_TOPIC_OR_PART);
            }
            return PartitionKeys.Lookup.partitions(found[1]);
        } finally {
            if (settings.isDefault()) {
                rd.rd_kafka_topic_destroy(rkt);
            }
        }
    }

    /**
     * Makes the metadata of {@code topics} known now (blocking, up to {@code timeoutMs}), so the first message to each
     * goes out without waiting for a metadata round trip: a topic handle per topic (kept until destroy, so
     * librdkafka keeps knowing the topic), then one metadata request for every topic this client knows.
     *
     * @return the topics whose metadata is not usable, each with its error (the request's, when it failed)
     */
    public Map<String, Integer> declareTopics(List<String> topics, int timeoutMs) {
        for (String topic : topics) {
            topicHandles.declared(topic);
        }
        Map<String, int[]> known = new HashMap<>();
        int err = metadata(null, timeoutMs, known);
        Map<String, Integer> failed = new LinkedHashMap<>();
        for (String topic : topics) {
            int[] found = known.get(topic);
            int topicError = err != 0 ? err : found == null ? KafkaError.UNKNOWN_TOPIC_OR_PART : found[0];
            if (topicError != 0) {
                failed.put(topic, topicError);
            }
        }
        return failed;
    }

    /**
     * One rd_kafka_metadata request for {@code rkt}, or for every topic the client knows when it is {@code null}:
     * puts topic -> {error, partition count} into {@code into} and returns the request's error (0 when it answered).
     */
    private int metadata(Pointer rkt, int timeoutMs, Map<String, int[]> into) {
        Pointer[] md = new Pointer[1];
        int err = rd.rd_kafka_metadata(rk, 0, rkt, md, timeoutMs);
        if (err != 0) {
            return err;
        }
        try {
            int topicCount = md[0].getInt(Metadata.TOPIC_CNT);
            Pointer topics = md[0].getPointer(Metadata.TOPICS);
            for (int i = 0; i < topicCount; i++) {
                long at = (long) i * MetadataTopic.SIZE;
                into.put(topics.getPointer(at + MetadataTopic.TOPIC).getString(0),
                        new int[] {topics.getInt(at + MetadataTopic.ERR),
                                topics.getInt(at + MetadataTopic.PARTITION_CNT)});
            }
            return 0;
        } finally {
            rd.rd_kafka_metadata_destroy(md[0]);
        }
    }

    /**
     * Serves the main queue (delivery reports, errors, statistics, logs) on the calling thread; see
     * {@link MainQueue#serve}. Only the thread that polls this client may call it.
     *
     * @param deadlineNanos the budget's end ({@link System#nanoTime()}), or 0 for none
     * @return how many messages and other events were handled
     */
    public int serve(int timeoutMs, long deadlineNanos) {
        return mainQueue.serve(timeoutMs, deadlineNanos);
    }

    /** Messages queued, in flight, or waiting in the main queue for a poll. */
    public int outqLen() {
        return rd.rd_kafka_outq_len(rk);
    }

    /** Makes a blocking {@link #serve} on another thread return at once (rd_kafka_queue_yield on the main queue). */
    public void yieldPoll() {
        rd.rd_kafka_queue_yield(mainQueue.handle());
    }

    /** Purges queued and in-flight messages; each gets a delivery report with a purge error on the next poll. */
    public void purge() {
        rd.rd_kafka_purge(rk, LibRdKafka.PURGE_F_QUEUE | LibRdKafka.PURGE_F_INFLIGHT);
    }

    /** librdkafka's fatal error, or {@code null} when there is none. */
    public KafkaError fatalError() {
        byte[] errstr = new byte[ERRSTR_SIZE];
        int code = rd.rd_kafka_fatal_error(rk, errstr, errstr.length);
        return code == 0 ? null : new KafkaError(code, error(code).name(), cString(errstr));
    }

    /**
     * Points librdkafka's main-queue wake-ups at {@code fd} ({@code -1} turns them off). librdkafka writes
     * {@code payload} to fd whenever the queue goes from empty to non-empty.
     */
    public void ioEvents(int fd, byte[] payload) {
        rd.rd_kafka_queue_io_event_enable(mainQueue.handle(), fd, payload, payload == null ? 0 : payload.length);
    }

    // -- transactions

    public void initTransactions(int timeoutMs) {
        check("init_transactions", rd.rd_kafka_init_transactions(rk, timeoutMs));
    }

    public void beginTransaction() {
        check("begin_transaction", rd.rd_kafka_begin_transaction(rk));
    }

    public void commitTransaction(int timeoutMs) {
        check("commit_transaction", rd.rd_kafka_commit_transaction(rk, timeoutMs));
    }

    public void abortTransaction(int timeoutMs) {
        check("abort_transaction", rd.rd_kafka_abort_transaction(rk, timeoutMs));
    }

    private void check(String call, Pointer error) {
        if (error == null) {
            return;
        }
        try {
            int code = rd.rd_kafka_error_code(error);
            KafkaError kafkaError = new KafkaError(code, rd.rd_kafka_error_name(error), rd.rd_kafka_error_string(error));
            throw new TransactionException("Producer '" + name + "': " + call + " failed", kafkaError,
                    rd.rd_kafka_error_is_fatal(error) != 0, rd.rd_kafka_error_is_retriable(error) != 0,
                    rd.rd_kafka_error_txn_requires_abort(error) != 0);
        } finally {
            rd.rd_kafka_error_destroy(error);
        }
    }

    /** Destroys the handle once; later calls do nothing. Callers must have stopped every poll and produce first. */
    public void destroy() {
        if (destroyed.compareAndSet(false, true)) {
            // Our topic and queue references go before the handle they belong to.
            topicHandles.destroy();
            mainQueue.destroy();
            rd.rd_kafka_destroy(rk);
            OPEN_HANDLES.decrementAndGet();
        }
    }

    /** How many librdkafka handles this JVM created and has not destroyed (leaked ones included). */
    public static int openHandles() {
        return OPEN_HANDLES.get();
    }

    public boolean isDestroyed() {
        return destroyed.get();
    }
}
