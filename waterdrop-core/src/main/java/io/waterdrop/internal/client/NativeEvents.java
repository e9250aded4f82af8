package io.waterdrop.internal.client;

/**
 * Where a {@link NativeProducer} delivers what its main queue reports. Every method runs on the thread that called
 * {@link NativeProducer#serve} (one of ours, never librdkafka's) and should not throw: the serving loop catches
 * anything that escapes and reports it through {@link #onCallbackFailure}.
 */
public interface NativeEvents {

    /**
     * One message's delivery report.
     *
     * <p>No topic: the receiver knows it from its own message (found by {@code opaque}), and reading librdkafka's
     * topic name into a new String for every message was a measurable share of the delivery path.
     *
     * @param opaque the id given at produce time
     * @param err 0 when delivered, else an rd_kafka_resp_err_t
     */
    void onDelivery(long opaque, int err, int partition, long offset, long timestamp);

    void onError(int err, String reason);

    void onStatistics(String json);

    void onLog(int level, String facility, String message);

    /** A callback adapter caught something; reported rather than lost. */
    void onCallbackFailure(String errorType, Throwable failure);
}
