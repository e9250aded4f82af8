package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.Producer;
import io.waterdrop.TypedProducer;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * What a producer sends as JSON (through Boot's JsonMapper, {@code spring.jackson.*} applied) arrives typed in a
 * spring-kafka {@code @KafkaListener} whose consumer uses spring-kafka's {@code JacksonJsonDeserializer} and reads
 * the payload's class from our {@code __TypeId__} header.
 */
class JsonToKafkaListenerTests {

    record Order(String id, int amount, String note) {
    }

    static class OrderListener {

        final BlockingQueue<Order> received = new LinkedBlockingQueue<>();

        @KafkaListener(topics = "${test.topic}")
        void on(Order order) {
            this.received.add(order);
        }
    }

    @Test
    void whenPayloadSerializerIsJsonWithTypeHeaderAKafkaListenerShouldReceiveTheObjectTyped() {
        String topic = KafkaBroker.newTopic("json-listener");
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KafkaAutoConfiguration.class,
                    WaterDropAutoConfiguration.class, WaterDropSerializationAutoConfiguration.class))
            .withBean(OrderListener.class)
            .withPropertyValues("test.topic=" + topic, "spring.kafka.bootstrap-servers=" + KafkaBroker.bootstrapServers(),
                    "spring.kafka.consumer.group-id=json-listener", "spring.kafka.consumer.auto-offset-reset=earliest",
                    "spring.kafka.consumer.value-deserializer="
                            + "org.springframework.kafka.support.serializer.JacksonJsonDeserializer",
                    "spring.kafka.consumer.properties.spring.json.trusted.packages=io.waterdrop.spring.autoconfigure",
                    "spring.jackson.default-property-inclusion=non_null",
                    "waterdrop.producers.orders.serializers.payload=json",
                    "waterdrop.producers.orders.serializers.type-header=true")
            .run((context) -> {
                TypedProducer<String, Order> orders = context.getBean(Producer.class).typed();
                orders.produceSync(topic, "o-1", new Order("o-1", 5, null));

                OrderListener listener = context.getBean(OrderListener.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> !listener.received.isEmpty());
                assertThat(listener.received.poll()).isEqualTo(new Order("o-1", 5, null));
                ConsumerRecord<byte[], byte[]> record = KafkaBroker.read(topic, 1).get(0);
                // spring.jackson.default-property-inclusion=non_null reached our JSON: no "note".
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o-1\",\"amount\":5}");
                assertThat(new String(record.headers().lastHeader(TypedProducer.TYPE_HEADER).value(),
                        StandardCharsets.UTF_8)).isEqualTo(Order.class.getName());
            });
    }
}
