package io.waterdrop;

/**
 * An error as librdkafka reports it.
 *
 * @param code librdkafka's rd_kafka_resp_err_t (negative codes are local, positive ones come from the broker)
 * @param name librdkafka's name for the code, e.g. {@code _MSG_TIMED_OUT}
 * @param message a human-readable description
 */
public record KafkaError(int code, String name, String message) {

    /** RD_KAFKA_RESP_ERR__QUEUE_FULL: the local producer queue is full. */
    public static final int QUEUE_FULL = -184;
    /** RD_KAFKA_RESP_ERR__PURGE_QUEUE: purged before it was sent. */
    public static final int PURGE_QUEUE = -152;
    /** RD_KAFKA_RESP_ERR__PURGE_INFLIGHT: purged while in flight. */
    public static final int PURGE_INFLIGHT = -151;
    /** RD_KAFKA_RESP_ERR__MSG_TIMED_OUT: not delivered within message.timeout.ms. */
    /** {@code _INVALID_ARG}: librdkafka refused an argument (e.g. a variant's topic configuration). */
    public static final int INVALID_ARG = -186;
    /** {@code _CONFLICT}: a topic is already produced with other topic settings on this producer. */
    public static final int CONFLICT = -173;
    public static final int MSG_TIMED_OUT = -192;
    /** RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION: the partition does not exist in the topic. */
    public static final int UNKNOWN_PARTITION = -190;
    /** RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC: the topic does not exist in the cluster. */
    public static final int UNKNOWN_TOPIC = -188;
    /** RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART: the broker does not know the topic or partition. */
    public static final int UNKNOWN_TOPIC_OR_PART = 3;
    /** RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE: larger than librdkafka's {@code message.max.bytes}. */
    public static final int MSG_SIZE_TOO_LARGE = 10;
    /** RD_KAFKA_RESP_ERR__FATAL: the producer hit a fatal error and must be replaced. */
    public static final int FATAL = -150;
    /** RD_KAFKA_RESP_ERR__AUTHENTICATION: a broker refused this client's credentials (e.g. a wrong SASL password). */
    public static final int AUTHENTICATION = -169;

    @Override
    public String toString() {
        return name + " (" + code + "): " + message;
    }
}
