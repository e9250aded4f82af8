package io.waterdrop;

/**
 * What librdkafka reported for one message.
 *
 * @param topic the topic
 * @param partition the partition it went to (or -1 if never assigned)
 * @param offset its offset, or -1 when not delivered (or when the broker does not return one, acks=0)
 * @param timestamp the message timestamp in epoch ms, or -1 if unknown
 * @param error {@code null} when delivered, else librdkafka's error
 */
public record DeliveryReport(String topic, int partition, long offset, long timestamp, KafkaError error) {

    public boolean isDelivered() {
        return error == null;
    }
}
