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
    public static final int MSG_TIMED_OUT = -192;
    /** RD_KAFKA_RESP_ERR__FATAL: the producer hit a fatal error and must be replaced. */
    public static final int FATAL = -150;

    @Override
    public String toString() {
        return name + " (" + code + "): " + message;
    }
}
