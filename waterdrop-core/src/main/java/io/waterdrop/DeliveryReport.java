package io.waterdrop;

/**
 * What librdkafka reported for one message.
 *
 * @param topic the topic
 * @param partition the partition it went to (or -1 if never assigned)
 * @param offset its offset, or -1 when not delivered or when delivered without a known offset: acks=0, or an
 *     idempotent retry the broker answered with DUPLICATE_SEQUENCE_NUMBER (the first send was written but its answer
 *     was lost; librdkafka counts the message delivered, once, without its offset)
 * @param timestamp the message timestamp in epoch ms, or -1 if unknown
 * @param error {@code null} when delivered, else librdkafka's error
 * @param label the message's {@link Message#label() label}, or {@code null}; never part of {@link #toString()}
 */
public record DeliveryReport(String topic, int partition, long offset, long timestamp, KafkaError error,
        Object label) {

    /** A report without a label. */
    public DeliveryReport(String topic, int partition, long offset, long timestamp, KafkaError error) {
        this(topic, partition, offset, timestamp, error, null);
    }

    public boolean isDelivered() {
        return error == null;
    }

    /** Everything but the label, which may hold personal data. */
    @Override
    public String toString() {
        return "DeliveryReport[topic=" + topic + ", partition=" + partition + ", offset=" + offset + ", timestamp="
                + timestamp + ", error=" + error + "]";
    }
}
