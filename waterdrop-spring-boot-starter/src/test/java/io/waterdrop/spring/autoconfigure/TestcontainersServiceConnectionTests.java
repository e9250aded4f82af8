package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Producer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Testcontainers' {@code @ServiceConnection} reaches WaterDrop producers: Spring Boot turns the container into a
 * {@code KafkaConnectionDetails} bean, and no bootstrap servers are configured anywhere. Needs a Docker engine and is
 * skipped, with Testcontainers' reason, where none runs (this project's CI has none); the same wiring is proven
 * everywhere by {@link ProducersOnBrokerTests} with a KafkaConnectionDetails bean pointing at the embedded broker.
 */
@SpringBootTest(classes = TestcontainersServiceConnectionTests.Application.class,
        properties = "spring.main.banner-mode=off")
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(OutputCaptureExtension.class)
class TestcontainersServiceConnectionTests {

    @Container
    @ServiceConnection
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:3.7.0");

    @Autowired
    private Producer producer;

    @Test
    void producerDeliversToServiceConnectionContainer(CapturedOutput output) {
        DeliveryReport report = this.producer.produceSync(Message.of("service-connection", "via @ServiceConnection"));
        assertThat(report.error()).isNull();
        assertThat(read(report)).containsExactly("via @ServiceConnection");
        assertThat(output.getOut()).contains("WaterDrop producer 'default' uses bootstrap servers "
                + kafka.getBootstrapServers() + " (from Spring Boot's KafkaConnectionDetails bean "
                + "(ApacheKafkaContainerConnectionDetails))");
    }

    /** The values in the report's partition, read back from the container with a Java consumer. */
    private static List<String> read(DeliveryReport report) {
        TopicPartition partition = new TopicPartition(report.topic(), report.partition());
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach((record) -> values.add(record.value()));
            }
        }
        return values;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
