package io.waterdrop.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Poller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Runs the sample as it ships (application.yml, embedded broker) and checks what reached Kafka. */
class WaterDropSampleApplicationTests {

    @Test
    void whenSampleRunsShouldDeliverEveryMessageOnTheConfiguredPollers() {
        try (ConfigurableApplicationContext context = SpringApplication.run(WaterDropSampleApplication.class,
                "--waterdrop.sample.messages=4")) {
            List<DeliveryDemo.Delivery> deliveries = context.getBean(DeliveryDemo.class).deliveries();
            assertThat(deliveries).hasSize(12).allSatisfy((delivery) -> {
                assertThat(delivery.report().error()).isNull();
                assertThat(delivery.report().offset()).isNotNegative();
            });
            Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
            Map<String, List<String>> threads = deliveries.stream().collect(Collectors.groupingBy(
                    DeliveryDemo.Delivery::topic, Collectors.mapping(DeliveryDemo.Delivery::thread, Collectors.toList())));
            assertThat(threads.get("orders")).containsOnly(critical.threadName());
            assertThat(threads.get("audit")).containsOnly(Poller.global().threadName());
            assertThat(threads.get("metrics")).containsOnly("waterdrop.native_kafka#metrics");

            String brokers = context.getBean(EmbeddedKafkaKraftBroker.class).getBrokersAsString();
            Map<String, Long> arrived = read(brokers, 13).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::topic, Collectors.counting()));
            assertThat(arrived).containsOnly(Map.entry("orders", 5L), Map.entry("audit", 4L),
                    Map.entry("metrics", 4L));
        }
    }

    private static List<ConsumerRecord<String, String>> read(String brokers, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "sample-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(EmbeddedBrokerConfiguration.TOPICS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
