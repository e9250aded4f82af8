package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.ProducerState;
import io.waterdrop.spring.WaterDropEndpoint;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code waterdrop.producers.<name>.idle-disconnect-timeout}: bound to the producer, and a producer disconnected for
 * idleness is healthy (UP, state DISCONNECTED), shows as such in the endpoint, and sends again on demand.
 */
class WaterDropIdleDisconnectTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropHealthContributorAutoConfiguration.class, WaterDropEndpointAutoConfiguration.class))
        .withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                "management.endpoints.web.exposure.include=waterdrop");

    @Test
    void whenIdleDisconnectTimeoutNotSetShouldNeverDisconnect() {
        this.runner.run((context) -> assertThat(context.getBean(Producer.class).config().idleDisconnectTimeout())
            .isZero());
    }

    @Test
    void whenIdleDisconnectTimeoutSetShouldDisconnectAndStayUp() {
        String topic = KafkaBroker.newTopic("starter-idle");
        this.runner.withPropertyValues("waterdrop.producers.orders.idle-disconnect-timeout=100ms").run((context) -> {
            Producer orders = context.getBean(Producer.class);
            assertThat(orders.config().idleDisconnectTimeout()).isEqualTo(Duration.ofMillis(100));
            HealthIndicator health = (HealthIndicator) ((CompositeHealthContributor) context
                .getBean("waterdropHealthContributor")).getContributor("orders");
            orders.produceSync(Message.of(topic, "before"));

            await().atMost(Duration.ofSeconds(30)).until(() -> orders.state() == ProducerState.DISCONNECTED);
            Health disconnected = health.health();
            assertThat(disconnected.getStatus()).isEqualTo(Status.UP);
            assertThat(disconnected.getDetails()).containsEntry("state", "DISCONNECTED")
                .containsEntry("queueLength", 0);
            assertThat(context.getBean(WaterDropEndpoint.class).waterdrop().producers())
                .singleElement()
                .satisfies((producer) -> assertThat(producer.state()).isEqualTo("DISCONNECTED"));

            assertThat(orders.produceSync(Message.of(topic, "after")).offset()).isEqualTo(1);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
        assertThat(KafkaBroker.read(topic, 2)).hasSize(2);
    }
}
