package io.waterdrop.internal.client;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Header;
import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.Secrets;
import io.waterdrop.TransactionException;
import io.waterdrop.WaterDropException;
import io.waterdrop.internal.nativelib.LibC;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLibraries;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
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
    private final LibC libc;
    private final Pointer rk;
    private final String name;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final MainQueue mainQueue;

    private NativeProducer(LibRdKafka rd, Pointer rk, String name, NativeEvents events) {
        this.rd = rd;
        this.libc = NativeLibraries.libc();
        this.rk = rk;
        this.name = name;
        this.mainQueue = new MainQueue(rd, rk, events);
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

    private static String cString(byte[] buf) {
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
        byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
        byte[] payload = message.payload();
        byte[] key = message.key();
        var headers = message.headers();
        int vuCount = 5 + (key != null ? 1 : 0) + (message.timestamp() != null ? 1 : 0) + headers.size() + 1;
        long size = (long) vuCount * LibRdKafka.VU_SIZE + topic.length + 1
                + (payload != null ? payload.length : 0) + (key != null ? key.length : 0);
        byte[][] headerNames = new byte[headers.size()][];
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            headerNames[i] = h.key().getBytes(StandardCharsets.UTF_8);
            size += headerNames[i].length + 1 + (h.value() != null ? h.value().length : 0);
        }
        // One allocation holds the rd_kafka_vu_t array and every byte it points to; librdkafka copies all of it
        // (RD_KAFKA_MSG_F_COPY, headers and keys are always copied), so it is freed right after the call.
        Pointer buf = libc.malloc(size);
        if (buf == null) {
            throw new OutOfMemoryError("malloc(" + size + ") failed while producing");
        }
        try {
            long data = (long) vuCount * LibRdKafka.VU_SIZE;
            int vu = 0;
            long topicAt = data;
            buf.put(data, topic, 0, topic.length);
            buf.putByte(data + topic.length, (byte) 0);
            data += topic.length + 1;
            putPointer(buf, vu++, LibRdKafka.VTYPE_TOPIC, buf.address() + topicAt);
            putInt(buf, vu++, LibRdKafka.VTYPE_PARTITION, partition);
            putInt(buf, vu++, LibRdKafka.VTYPE_MSGFLAGS, LibRdKafka.MSG_F_COPY);
            putPointer(buf, vu++, LibRdKafka.VTYPE_OPAQUE, opaque);
            if (payload != null) {
                buf.put(data, payload, 0, payload.length);
                putMem(buf, vu++, LibRdKafka.VTYPE_VALUE, buf.address() + data, payload.length);
                data += payload.length;
            } else {
                putMem(buf, vu++, LibRdKafka.VTYPE_VALUE, 0L, 0);
            }
            if (key != null) {
                buf.put(data, key, 0, key.length);
                putMem(buf, vu++, LibRdKafka.VTYPE_KEY, buf.address() + data, key.length);
                data += key.length;
            }
            if (message.timestamp() != null) {
                long at = (long) vu++ * LibRdKafka.VU_SIZE;
                buf.putInt(at, LibRdKafka.VTYPE_TIMESTAMP);
                buf.putLong(at + 8, message.timestamp());
            }
            for (int i = 0; i < headers.size(); i++) {
                byte[] hname = headerNames[i];
                byte[] hvalue = headers.get(i).value();
                long nameAt = data;
                buf.put(data, hname, 0, hname.length);
                buf.putByte(data + hname.length, (byte) 0);
                data += hname.length + 1;
                long valueAddress = 0;
                if (hvalue != null) {
                    buf.put(data, hvalue, 0, hvalue.length);
                    valueAddress = buf.address() + data;
                    data += hvalue.length;
                }
                long at = (long) vu++ * LibRdKafka.VU_SIZE;
                buf.putInt(at, LibRdKafka.VTYPE_HEADER);
                buf.putAddress(at + 8, buf.address() + nameAt);
                buf.putAddress(at + 16, valueAddress);
                buf.putLong(at + 24, hvalue != null ? hvalue.length : -1); // ssize_t: -1 = null value
            }
            buf.putInt((long) vu * LibRdKafka.VU_SIZE, LibRdKafka.VTYPE_END);
            Pointer error = rd.rd_kafka_produceva(rk, buf, vu);
            if (error == null) {
                return 0;
            }
            int code = rd.rd_kafka_error_code(error);
            rd.rd_kafka_error_destroy(error);
            return code;
        } finally {
            libc.free(buf);
        }
    }

    private static void putPointer(Pointer buf, int index, int vtype, long address) {
        long at = (long) index * LibRdKafka.VU_SIZE;
        buf.putInt(at, vtype);
        buf.putAddress(at + 8, address);
    }

    private static void putInt(Pointer buf, int index, int vtype, int value) {
        long at = (long) index * LibRdKafka.VU_SIZE;
        buf.putInt(at, vtype);
        buf.putInt(at + 8, value);
    }

    private static void putMem(Pointer buf, int index, int vtype, long address, long size) {
        long at = (long) index * LibRdKafka.VU_SIZE;
        buf.putInt(at, vtype);
        buf.putAddress(at + 8, address);
        buf.putLong(at + 16, size);
    }

    /**
     * The partition count of a topic from a metadata request (blocking, up to {@code timeoutMs}), or -1 when the
     * topic is unknown.
     */
    public int partitionCount(String topic, int timeoutMs) {
        Pointer rkt = rd.rd_kafka_topic_new(rk, topic, null);
        if (rkt == null) {
            return -1;
        }
        try {
            Pointer[] md = new Pointer[1];
            int err = rd.rd_kafka_metadata(rk, 0, rkt, md, timeoutMs);
            if (err != 0) {
                throw new WaterDropException("Producer '" + name + "' could not read metadata of topic '" + topic
                        + "': " + error(err));
            }
            try {
                // struct rd_kafka_metadata { int broker_cnt; *brokers; int topic_cnt; *topics; ... }
                int topicCount = md[0].getInt(16);
                Pointer topics = md[0].getPointer(24);
                for (int i = 0; i < topicCount; i++) {
                    // struct rd_kafka_metadata_topic { char *topic; int partition_cnt; *partitions; err; } = 32 bytes
                    long at = i * 32L;
                    if (topic.equals(topics.getPointer(at).getString(0)) && topics.getInt(at + 24) == 0) {
                        return topics.getInt(at + 8);
                    }
                }
                return -1;
            } finally {
                rd.rd_kafka_metadata_destroy(md[0]);
            }
        } finally {
            rd.rd_kafka_topic_destroy(rkt);
        }
    }

    /** The partition librdkafka's named partitioner would choose for {@code key}. */
    public int partitionFor(byte[] key, int partitionCount, String partitioner) {
        String p = partitioner == null ? "consistent_random" : partitioner;
        if (p.startsWith("murmur2")) {
            return rd.rd_kafka_msg_partitioner_murmur2_random(null, key, key.length, partitionCount, null, null);
        }
        if (p.startsWith("fnv1a")) {
            return rd.rd_kafka_msg_partitioner_fnv1a_random(null, key, key.length, partitionCount, null, null);
        }
        return rd.rd_kafka_msg_partitioner_consistent_random(null, key, key.length, partitionCount, null, null);
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
            mainQueue.destroy(); // our queue reference goes before the handle it belongs to
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
