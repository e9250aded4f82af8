package io.waterdrop.internal.nativelib;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The librdkafka functions WaterDrop calls, declared once for jnr-ffi.
 *
 * <p>Calls on the produce and poll paths carry {@link IgnoreError}: librdkafka reports errors through return values,
 * never errno, and skipping the errno save makes each call markedly cheaper.
 */
public interface LibRdKafka {

    int RD_KAFKA_PRODUCER = 0;

    int MSG_F_COPY = 0x2;
    int PURGE_F_QUEUE = 0x1;
    int PURGE_F_INFLIGHT = 0x2;
    int CONF_OK = 0;
    int CONF_UNKNOWN = -2;

    int rd_kafka_version();

    String rd_kafka_version_str();

    @IgnoreError
    String rd_kafka_err2str(int err);

    @IgnoreError
    String rd_kafka_err2name(int err);

    // -- configuration

    Pointer rd_kafka_conf_new();

    int rd_kafka_conf_set(Pointer conf, String name, String value, @Out byte[] errstr, @size_t long errstrSize);

    void rd_kafka_conf_destroy(Pointer conf);

    /** With {@code dest} NULL only the size is written: a way to ask whether librdkafka knows a property name. */
    int rd_kafka_conf_get(Pointer conf, String name, Pointer dest, @In @Out NativeLongByReference destSize);

    // -- topic configuration (producer variants: one rd_kafka_topic_t per topic, see TopicHandles)

    Pointer rd_kafka_topic_conf_new();

    int rd_kafka_topic_conf_set(Pointer conf, String name, String value, @Out byte[] errstr,
            @size_t long errstrSize);

    int rd_kafka_topic_conf_get(Pointer conf, String name, @Out byte[] dest, @In @Out NativeLongByReference destSize);

    void rd_kafka_topic_conf_destroy(Pointer conf);

    /** A copy of the client's default topic configuration (the topic-level settings given to rd_kafka_new). */
    Pointer rd_kafka_default_topic_conf_dup(Pointer rk);

    // -- handle

    Pointer rd_kafka_new(int type, Pointer conf, @Out byte[] errstr, @size_t long errstrSize);

    void rd_kafka_destroy(Pointer rk);

    String rd_kafka_name(Pointer rk);

    @IgnoreError
    int rd_kafka_outq_len(Pointer rk);

    int rd_kafka_purge(Pointer rk, int flags);

    int rd_kafka_fatal_error(Pointer rk, @Out byte[] errstr, @size_t long errstrSize);

    int rd_kafka_set_log_queue(Pointer rk, Pointer rkqu);

    // -- producing

    /** Returns an rd_kafka_error_t* (NULL on success) that the caller must destroy. */
    @IgnoreError
    Pointer rd_kafka_produceva(Pointer rk, @In Pointer vus, @size_t long count);

    /**
     * Enqueues {@code count} rd_kafka_message_t of one topic; returns how many were accepted and sets each one's
     * {@code err}. See ProduceBatchCall for the rules we keep (one partition per call, RD_KAFKA_MSG_F_COPY).
     */
    @IgnoreError
    int rd_kafka_produce_batch(Pointer rkt, int partition, int msgflags, Pointer rkmessages, int count);

    Pointer rd_kafka_topic_new(Pointer rk, String topic, Pointer conf);

    void rd_kafka_topic_destroy(Pointer rkt);

    @IgnoreError
    String rd_kafka_topic_name(Pointer rkt);

    @IgnoreError
    long rd_kafka_message_timestamp(Pointer rkmessage, Pointer tstype);

    int rd_kafka_metadata(Pointer rk, int allTopics, Pointer onlyRkt, @Out Pointer[] metadata, int timeoutMs);

    void rd_kafka_metadata_destroy(Pointer metadata);

    // librdkafka's key hashes, called with rkt = NULL. Only the deterministic partitioners are declared: the *_random
    // variants (and consistent_random) pick a random partition for an empty or NULL key and then read the topic handle,
    // which would be NULL here (issue 7: SIGSEGV). PartitionKeys draws random partitions itself.

    @IgnoreError
    int rd_kafka_msg_partitioner_consistent(Pointer rkt, @In byte[] key, @size_t long keyLen, int partitionCount,
            Pointer rktOpaque, Pointer msgOpaque);

    @IgnoreError
    int rd_kafka_msg_partitioner_murmur2(Pointer rkt, @In byte[] key, @size_t long keyLen, int partitionCount,
            Pointer rktOpaque, Pointer msgOpaque);

    @IgnoreError
    int rd_kafka_msg_partitioner_fnv1a(Pointer rkt, @In byte[] key, @size_t long keyLen, int partitionCount,
            Pointer rktOpaque, Pointer msgOpaque);

    // -- headers (a list WaterDrop builds and owns until rd_kafka_produceva succeeds)

    @IgnoreError
    Pointer rd_kafka_headers_new(@size_t long initialCount);

    @IgnoreError
    void rd_kafka_headers_destroy(Pointer headers);

    /** Copies {@code nameSize} bytes of name and {@code valueSize} of value; value 0 (NULL) is a null value. */
    @IgnoreError
    int rd_kafka_header_add(Pointer headers, @intptr_t long name, @ssize_t long nameSize, @intptr_t long value,
            @ssize_t long valueSize);

    // -- rd_kafka_error_t

    int rd_kafka_error_code(Pointer error);

    String rd_kafka_error_name(Pointer error);

    String rd_kafka_error_string(Pointer error);

    int rd_kafka_error_is_fatal(Pointer error);

    int rd_kafka_error_is_retriable(Pointer error);

    int rd_kafka_error_txn_requires_abort(Pointer error);

    void rd_kafka_error_destroy(Pointer error);

    // -- transactions (each returns an rd_kafka_error_t* or NULL)

    Pointer rd_kafka_init_transactions(Pointer rk, int timeoutMs);

    Pointer rd_kafka_begin_transaction(Pointer rk);

    Pointer rd_kafka_commit_transaction(Pointer rk, int timeoutMs);

    Pointer rd_kafka_abort_transaction(Pointer rk, int timeoutMs);

    // -- queues and io events (fd polling)

    Pointer rd_kafka_queue_get_main(Pointer rk);

    void rd_kafka_queue_destroy(Pointer rkqu);

    /** Wakes a rd_kafka_queue_poll blocked on {@code rkqu}, from any thread. */
    void rd_kafka_queue_yield(Pointer rkqu);

    void rd_kafka_queue_io_event_enable(Pointer rkqu, int fd, @In byte[] payload, @size_t long size);

    // -- events: delivery reports, errors, statistics and logs come back from rd_kafka_queue_poll as
    // rd_kafka_event_t objects read with downcalls only (no jnr-ffi upcall per message)

    int EVENT_DR = 0x1;
    int EVENT_LOG = 0x4;
    int EVENT_ERROR = 0x8;
    int EVENT_STATS = 0x40;

    /** Which events librdkafka hands to rd_kafka_queue_poll instead of callbacks. */
    void rd_kafka_conf_set_events(Pointer conf, int events);

    /** The next event of {@code rkqu}, or NULL after {@code timeoutMs}; destroy it with rd_kafka_event_destroy. */
    @IgnoreError
    Pointer rd_kafka_queue_poll(Pointer rkqu, int timeoutMs);

    @IgnoreError
    int rd_kafka_event_type(Pointer rkev);

    /** Frees the event and, for a delivery report, every message read from it. */
    @IgnoreError
    void rd_kafka_event_destroy(Pointer rkev);

    /** Moves up to {@code size} messages of a delivery-report event into {@code rkmessages}; returns how many. */
    @IgnoreError
    @size_t
    long rd_kafka_event_message_array(Pointer rkev, Pointer rkmessages, @size_t long size);

    @IgnoreError
    int rd_kafka_event_error(Pointer rkev);

    @IgnoreError
    String rd_kafka_event_error_string(Pointer rkev);

    /** 1 when an RD_KAFKA_EVENT_ERROR is fatal (its code is then the underlying error, not _FATAL). */
    @IgnoreError
    int rd_kafka_event_error_is_fatal(Pointer rkev);

    @IgnoreError
    String rd_kafka_event_stats(Pointer rkev);

    /** Returns 0 and fills the three outputs for an RD_KAFKA_EVENT_LOG event. */
    @IgnoreError
    int rd_kafka_event_log(Pointer rkev, @Out Pointer[] facility, @Out Pointer[] message, @Out int[] level);
}
