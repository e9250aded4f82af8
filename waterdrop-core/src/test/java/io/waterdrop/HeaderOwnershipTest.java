package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every way rd_kafka_produceva can refuse a message WITH headers, many times over: the header list stays ours on each
 * error path and is freed exactly once (librdkafka 2.0.x freed its own list twice on some of them: glibc aborts on a
 * double free, so a regression kills the JVM within a few hundred rounds).
 */
class HeaderOwnershipTest {

    private static final int ROUNDS = 500;

    private static Message withHeaders(String topic, int partition, byte[] payload) {
        return Message.builder(topic).partition(partition).header("a", "1").header("b", (byte[]) null)
                .header("c", new byte[0]).payload(payload).build();
    }

    @Test
    void unknownPartitionAndOversizedMessagesFreeTheListOnce() {
        String topic = KafkaBroker.newTopic("hdr-own", 2);
        try (Producer producer = new Producer(brokerConfig("hdr-own", PollingMode.FD).build())) {
            producer.produceSync(Message.of(topic, "metadata known"));
            byte[] tooBig = new byte[ProducerConfig.DEFAULT_MAX_PAYLOAD_SIZE];
            for (int i = 0; i < ROUNDS; i++) {
                assertThatThrownBy(() -> producer.produceAsync(withHeaders(topic, 2, new byte[] {1})))
                        .isInstanceOfSatisfying(ProduceException.class,
                                e -> assertThat(e.error().code()).isEqualTo(KafkaError.UNKNOWN_PARTITION));
                assertThatThrownBy(() -> producer.produceAsync(withHeaders(topic, 0, tooBig)))
                        .isInstanceOfSatisfying(ProduceException.class,
                                e -> assertThat(e.error().code()).isEqualTo(KafkaError.MSG_SIZE_TOO_LARGE));
            }
            assertThat(producer.produceSync(withHeaders(topic, 1, new byte[] {2})).partition()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueFreesTheListOnce() {
        try (Producer producer = new Producer(unreachableConfig("hdr-own-full", PollingMode.FD)
                .kafka("queue.buffering.max.messages", "1").queueFullTimeout(Duration.ZERO).build())) {
            producer.produceAsync(withHeaders("t", Message.ANY_PARTITION, new byte[] {1})); // fills the queue
            for (int i = 0; i < ROUNDS; i++) {
                assertThatThrownBy(() -> producer.produceAsync(withHeaders("t", Message.ANY_PARTITION,
                        new byte[] {1}))).isInstanceOf(QueueFullException.class);
            }
            assertThat(producer.pendingDeliveries()).isEqualTo(1);
        }
    }

    @Test
    void aTransactionalStateThatForbidsProducingFreesTheListOnce() {
        String topic = KafkaBroker.newTopic("hdr-own-txn");
        try (Producer producer = new Producer(brokerConfig("hdr-own-txn", PollingMode.FD)
                .kafka("transactional.id", CoreFixtures.uniqueName("hdr-own-txn")).build())) {
            producer.connect();
            for (int i = 0; i < ROUNDS; i++) {
                // Transactions are not initialised yet: librdkafka refuses before it looks at the message.
                assertThatThrownBy(() -> producer.produceAsync(withHeaders(topic, Message.ANY_PARTITION,
                        new byte[] {1})))
                        .isInstanceOfSatisfying(ProduceException.class,
                                e -> assertThat(e.error().name()).isEqualTo("_STATE"));
            }
            producer.transaction(() -> producer.produceSync(withHeaders(topic, 0, new byte[] {3})));
        }
        assertThat(KafkaBroker.read(topic, 1, Duration.ofSeconds(30), true)).singleElement()
                .satisfies(r -> assertThat(r.headers().toArray()).hasSize(3));
    }
}
