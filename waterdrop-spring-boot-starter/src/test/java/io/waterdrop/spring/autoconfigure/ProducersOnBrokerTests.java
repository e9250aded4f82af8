package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.DeliveryReport;
import io.waterdrop.Event;
import io.waterdrop.Message;
import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.ProducerState;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Auto-configured producers against a real (embedded KRaft) broker: what they send arrives. */
@ExtendWith(OutputCaptureExtension.class)
class ProducersOnBrokerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenThreeProducersAndDedicatedGroupConfiguredShouldDeliverOnTheirOwnThreads() {
        String topic = KafkaBroker.newTopic("three-producers", 3);
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                "waterdrop.pollers.critical.poll-timeout=500ms",
                "waterdrop.producers.orders.primary=true",
                "waterdrop.producers.orders.kafka.acks=all",
                "waterdrop.producers.orders.kafka.enable.idempotence=true",
                "waterdrop.producers.orders.polling.poller=critical",
                "waterdrop.producers.orders.polling.fd.max-time=200ms",
                "waterdrop.producers.audit.polling.fd.max-time=20ms",
                "waterdrop.producers.metrics.polling.mode=thread")
            .run((context) -> {
                WaterDropProducers producers = context.getBean(WaterDropProducers.class);
                assertThat(producers.names()).containsExactlyInAnyOrder("orders", "audit", "metrics");
                Map<String, Set<String>> deliveryThreads = new ConcurrentHashMap<>();
                for (Producer producer : producers) {
                    producer.monitor().subscribe(Event.MessageAcknowledged.class, (event) -> deliveryThreads
                        .computeIfAbsent(event.producer(), (name) -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread().getName()));
                }
                List<DeliveryHandle> handles = new ArrayList<>();
                for (Producer producer : producers) {
                    for (int i = 0; i < 100; i++) {
                        handles.add(producer.produceAsync(Message.builder(topic).key(producer.name())
                            .payload(producer.name() + "-" + i).build()));
                    }
                }
                handles.forEach(DeliveryHandle::await);

                List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 300);
                Map<String, Long> perProducer = records.stream().collect(Collectors.groupingBy(
                        (record) -> new String(record.key(), StandardCharsets.UTF_8), Collectors.counting()));
                assertThat(perProducer).containsOnly(Map.entry("orders", 100L), Map.entry("audit", 100L),
                        Map.entry("metrics", 100L));
                Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
                assertThat(critical.threadName()).isNotEqualTo(Poller.global().threadName());
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(deliveryThreads).containsOnly(
                        Map.entry("orders", Set.of(critical.threadName())),
                        Map.entry("audit", Set.of(Poller.global().threadName())),
                        Map.entry("metrics", Set.of("waterdrop.native_kafka#metrics"))));
            });
    }

    @Test
    void whenKafkaConnectionDetailsBeanSuppliesBrokersShouldDeliverThere(CapturedOutput output) {
        String topic = KafkaBroker.newTopic("connection-details");
        this.runner.withUserConfiguration(BrokerConnectionDetailsConfiguration.class).run((context) -> {
            Producer producer = context.getBean(Producer.class);
            assertThat(producer.config().kafka()).containsEntry("bootstrap.servers", KafkaBroker.bootstrapServers());
            DeliveryReport report = producer.produceSync(Message.of(topic, "via KafkaConnectionDetails"));
            assertThat(report.offset()).isZero();
        });
        assertThat(KafkaBroker.read(topic, 1)).extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
            .containsExactly("via KafkaConnectionDetails");
        assertThat(output.getOut()).contains("WaterDrop producer 'default' uses bootstrap servers "
                + KafkaBroker.bootstrapServers() + " (from Spring Boot's KafkaConnectionDetails bean)");
    }

    @Test
    void whenContextStopsShouldFlushProducersWhilePollersStillRunThenStopPollers() {
        String topic = KafkaBroker.newTopic("stop-order");
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                "waterdrop.pollers.critical.poll-timeout=200ms",
                "waterdrop.producers.default.polling.poller=critical",
                "waterdrop.producers.default.kafka.linger.ms=200")
            .run((context) -> {
                Producer producer = context.getBean(Producer.class);
                Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
                List<Boolean> pollerAliveWhileClosing = new CopyOnWriteArrayList<>();
                List<Integer> undelivered = new CopyOnWriteArrayList<>();
                producer.monitor().subscribe(Event.ProducerClosing.class,
                        (event) -> pollerAliveWhileClosing.add(critical.isAlive()));
                producer.monitor().subscribe(Event.ProducerClosed.class,
                        (event) -> undelivered.add(event.undelivered()));
                List<DeliveryHandle> handles = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    handles.add(producer.produceAsync(Message.of(topic, "before-stop-" + i)));
                }

                context.stop();

                assertThat(pollerAliveWhileClosing).containsExactly(true);
                assertThat(undelivered).containsExactly(0);
                assertThat(handles).allSatisfy((handle) -> assertThat(handle).isCompletedWithValueMatching(
                        (report) -> report.error() == null));
                assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
                assertThat(critical.isAlive()).isFalse();
            });
        assertThat(KafkaBroker.read(topic, 50)).hasSize(50);
    }

    @Test
    void whenContextRestartsShouldReconnectProducersAndPollers() {
        String topic = KafkaBroker.newTopic("restart");
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                "waterdrop.pollers.critical.poll-timeout=200ms", "waterdrop.producers.default.polling.poller=critical")
            .run((context) -> {
                Producer producer = context.getBean(Producer.class);
                Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
                producer.produceSync(Message.of(topic, "first run"));
                long threadStarts = critical.stats().threadStarts();

                context.stop();
                assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
                assertThat(critical.isAlive()).isFalse();

                context.start();
                assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);
                assertThat(critical.isAlive()).isTrue();
                assertThat(critical.stats().threadStarts()).isEqualTo(threadStarts + 1);
                producer.produceSync(Message.of(topic, "second run"));
            });
        assertThat(KafkaBroker.read(topic, 2)).extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
            .containsExactly("first run", "second run");
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokerConnectionDetailsConfiguration {

        @Bean
        KafkaConnectionDetails kafkaConnectionDetails() {
            return () -> List.of(KafkaBroker.bootstrapServers().split(","));
        }
    }
}
