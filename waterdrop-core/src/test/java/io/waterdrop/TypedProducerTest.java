package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@link Producer#typed()}: keys and payloads through the producer's serializers, as they arrive in Kafka. */
class TypedProducerTest {

    record Order(String id, int amount) {
    }

    /** A serializer of the test's own format, failing on negative amounts. */
    private static final Serializer<Order> ORDERS = (topic, order) -> {
        if (order.amount() < 0) {
            throw new IllegalArgumentException("negative amount " + order.amount());
        }
        return (topic + ":" + order.id() + "=" + order.amount()).getBytes(StandardCharsets.UTF_8);
    };

    @Test
    void keysAndPayloadsArriveSerializedWithTheTypeHeaderWhenAsked() {
        String topic = KafkaBroker.newTopic("typed");
        try (Producer producer = new Producer(brokerConfig("typed", PollingMode.FD)
                .payloadSerializer(ORDERS).typeHeader(true).build())) {
            TypedProducer<String, Order> orders = producer.typed();
            orders.produceSync(topic, "k1", new Order("o1", 5));
            orders.produceManySync(topic, List.of(new Order("o2", 6), new Order("o3", 7)), Order::id);
            producer.produceSync(orders.message(topic, null, new Order("o4", 8)).header("source", "test").build());
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 4);
        assertThat(records).extracting(CoreFixtures::key).containsExactly("k1", "o2", "o3", null);
        assertThat(records).extracting(CoreFixtures::value)
                .containsExactly(topic + ":o1=5", topic + ":o2=6", topic + ":o3=7", topic + ":o4=8");
        assertThat(records).allSatisfy(r -> assertThat(CoreFixtures.text(
                r.headers().lastHeader(TypedProducer.TYPE_HEADER).value())).isEqualTo(Order.class.getName()));
        assertThat(records.get(3).headers().lastHeader("source")).isNotNull();
    }

    @Test
    void aFailingSerializerSendsNothingOfTheCallAndNamesTopicFieldAndCause() {
        String topic = KafkaBroker.newTopic("typed-fail");
        try (Producer producer = new Producer(brokerConfig("typed-fail", PollingMode.FD)
                .payloadSerializer(ORDERS).build())) {
            TypedProducer<String, Order> orders = producer.typed();
            assertThatThrownBy(() -> orders.produceManyAsync(topic,
                    List.of(new Order("ok", 1), new Order("bad", -1)), Order::id))
                    .isInstanceOfSatisfying(SerializationException.class, e -> {
                        assertThat(e.field()).isEqualTo("payload");
                        assertThat(e.topic()).isEqualTo(topic);
                        assertThat(e.getCause()).hasMessage("negative amount -1");
                        assertThat(e.getMessage()).contains("payload", topic, "negative amount -1");
                    });
            TypedProducer<Integer, Order> wrongKeys = producer.typed(); // keys are strings: an Integer cannot pass
            assertThatThrownBy(() -> wrongKeys.produceAsync(topic, 42, new Order("k", 1)))
                    .isInstanceOfSatisfying(SerializationException.class, e -> {
                        assertThat(e.field()).isEqualTo("key");
                        assertThat(e.getCause()).isInstanceOf(ClassCastException.class);
                    });
            // Still usable; the marker is the first and only record: nothing of the failed calls went out.
            orders.produceSync(topic, "marker", new Order("marker", 0));
            assertThat(producer.metrics().produced()).isEqualTo(1);
        }
        assertThat(KafkaBroker.read(topic, 1)).extracting(CoreFixtures::key).containsExactly("marker");
    }
}
