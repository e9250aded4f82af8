package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.test.BrokerProcess;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A producer's health follows librdkafka's own view of its broker: UP, DOWN once the broker is gone for longer than
 * the grace period, UP again when it comes back on the same port. The broker is this test's own and advertises a
 * {@link TcpProxy}: stopping the proxy takes "the broker" away for the producer without stopping Kafka. A real
 * broker outage (the broker process stopped and restarted on the same port and data) is checked through Actuator's
 * own registry in a whole application.
 */
class WaterDropHealthOnBrokerTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TcpProxy proxy;
    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBrokerBehindProxy() {
        proxy = new TcpProxy().start();
        broker = new EmbeddedKafkaKraftBroker(1, 1, "health");
        // Clients learn the proxy's address from the metadata, so every connection goes through it.
        broker.brokerProperties(Map.of("advertised.listeners", "EXTERNAL://localhost:" + proxy.port(),
                "offsets.topic.replication.factor", "1", "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1"));
        Thread forward = new Thread(() -> {
            // The broker's own port is known once it started; its start-up admin client already needs the proxy.
            await().atMost(WAIT).until(() -> brokerPort() > 0);
            proxy.forwardTo(brokerPort());
        });
        forward.start();
        broker.afterPropertiesSet();
    }

    private static int brokerPort() {
        try {
            String servers = broker.getBrokersAsString();
            return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1).split(",")[0]);
        }
        catch (RuntimeException ex) {
            return 0;
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
        proxy.close();
    }

    @Test
    void producerHealthIsDownWhileItsBrokerIsStoppedAndUpAgainAfterRestart() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                    WaterDropHealthContributorAutoConfiguration.class))
            .withPropertyValues("waterdrop.kafka.bootstrap.servers=localhost:" + proxy.port(),
                    "waterdrop.kafka.statistics.interval.ms=200", "waterdrop.kafka.reconnect.backoff.max.ms=500",
                    "waterdrop.producers.orders.polling.fd.max-time=100ms",
                    "waterdrop.health.brokers-down-grace-period=1s")
            .run((context) -> {
                Producer orders = context.getBean(Producer.class);
                HealthIndicator health = (HealthIndicator) ((CompositeHealthContributor) context
                    .getBean("waterdropHealthContributor")).getContributor("orders");
                orders.produceSync(Message.of("health", "before"));
                await().atMost(WAIT).untilAsserted(() -> {
                    Health up = health.health();
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails()).containsEntry("brokersUp", 1).containsEntry("brokersTotal", 1);
                });

                proxy.stop();
                await().atMost(WAIT).untilAsserted(() -> {
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).containsEntry("brokersUp", 0).containsKey("allBrokersDownSince");
                    assertThat((String) down.getDetails().get("reason")).contains("every broker down");
                });

                proxy.restart();
                await().atMost(WAIT).untilAsserted(() -> {
                    Health up = health.health();
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails()).containsEntry("brokersUp", 1).doesNotContainKey("allBrokersDownSince");
                });
                assertThat(orders.produceSync(Message.of("health", "after")).offset()).isNotNegative();
            });
    }

    @Test
    void producerHealthIsDownWhileTheBrokerIsDownLongerThanMessageTimeoutAndUpAfterRestart() {
        List<DeliveryHandle> handles;
        try (BrokerProcess kafka = BrokerProcess.start()) {
            String topic = KafkaBroker.newTopic(kafka.bootstrapServers(), "health-outage", 1);
            try (ConfigurableApplicationContext context = SpringApplication.run(App.class,
                    "--spring.main.web-application-type=none", "--spring.main.banner-mode=off",
                    "--waterdrop.kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "--waterdrop.kafka.statistics.interval.ms=200", "--waterdrop.kafka.reconnect.backoff.max.ms=500",
                    "--waterdrop.kafka.message.timeout.ms=3000", "--waterdrop.producers.orders.close-timeout=2s",
                    "--waterdrop.health.brokers-down-grace-period=1s")) {
                Producer orders = context.getBean(WaterDropProducers.class).get("orders");
                HealthIndicator health = (HealthIndicator) ((CompositeHealthContributor) context
                    .getBean(HealthContributorRegistry.class).getContributor("waterdrop")).getContributor("orders");
                orders.produceSync(Message.of(topic, "before"));
                await().atMost(WAIT).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));

                kafka.stop();
                handles = IntStream.range(0, 1_000)
                    .mapToObj(i -> orders.produceAsync(Message.of(topic, "during-" + i)))
                    .toList();
                await().atMost(WAIT).untilAsserted(() -> {
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat((String) down.getDetails().get("reason")).contains("every broker down");
                });
                // Every handle completes (no thread waits forever), each with librdkafka's timeout.
                await().atMost(WAIT).until(() -> handles.stream().allMatch(DeliveryHandle::isDone));
                assertThat(handles).allSatisfy(handle -> assertThat(handle.toCompletableFuture())
                    .failsWithin(Duration.ZERO)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> assertThat(e.error().code()).isEqualTo(KafkaError.MSG_TIMED_OUT)));
                assertThat(health.health().getDetails()).containsEntry("inFlight", 0)
                    .containsEntry("failed", 1_000L);
                assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains(orders.pollingInfo().threadName());

                kafka.restart();
                await().atMost(WAIT).untilAsserted(() -> {
                    Health up = health.health();
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails()).doesNotContainKey("allBrokersDownSince");
                });
                assertThat(orders.produceSync(Message.of(topic, "after")).isDelivered()).isTrue();
            }
            assertThat(KafkaBroker.read(kafka.bootstrapServers(), topic, 2, WAIT, false))
                .extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactly("before", "after");
        }
    }

    @Test
    void brokersDownStatusIsConfigurable() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                    WaterDropHealthContributorAutoConfiguration.class))
            .withPropertyValues("waterdrop.kafka.bootstrap.servers=localhost:1",
                    "waterdrop.kafka.statistics.interval.ms=200", "waterdrop.health.brokers-down-grace-period=0s",
                    "waterdrop.health.brokers-down-status=out_of_service")
            .run((context) -> {
                HealthIndicator health = (HealthIndicator) ((CompositeHealthContributor) context
                    .getBean("waterdropHealthContributor")).getContributor("default");
                await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE));
            });
    }

    @Test
    void closedProducerIsDown() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                    WaterDropHealthContributorAutoConfiguration.class))
            .withPropertyValues("waterdrop.kafka.bootstrap.servers=localhost:" + proxy.port())
            .run((context) -> {
                context.getBean(Producer.class).close();
                Health health = ((HealthIndicator) ((CompositeHealthContributor) context
                    .getBean("waterdropHealthContributor")).getContributor("default")).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("state", "CLOSED")
                    .containsEntry("reason", "the producer is closed");
            });
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
