package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.ProducerPool;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.WaterDropEndpoint;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code waterdrop.producers.<name>.pool-size}: a ProducerPool bean instead of a Producer bean. */
class ProducerPoolsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropEndpointAutoConfiguration.class))
        .withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                "management.endpoints.web.exposure.include=waterdrop");

    @Test
    void runWithPoolSizeShouldRegisterAPoolThatCommitsAndIsClosedWithTheContext() {
        String topic = KafkaBroker.newTopic("boot-pool");
        String transactionalId = "boot-pool-" + UUID.randomUUID();
        AtomicReference<ProducerPool> closedLater = new AtomicReference<>();
        this.runner.withPropertyValues("waterdrop.producers.payments.pool-size=2",
                "waterdrop.producers.payments.kafka.transactional.id=" + transactionalId,
                "waterdrop.producers.audit.kafka.acks=1")
            .run((context) -> {
                ProducerPool pool = context.getBean("waterdrop.producers.payments", ProducerPool.class);
                closedLater.set(pool);
                assertThat(context.getBean(WaterDropProducers.class).names()).containsExactly("audit");
                assertThat(context.getBeansOfType(Producer.class)).containsOnlyKeys("waterdrop.producers.audit");
                assertThat(pool.members()).extracting((member) -> member.config().kafka().get("transactional.id"))
                    .containsExactly(transactionalId + "-0", transactionalId + "-1");

                pool.transaction((producer) -> producer.produceSync(Message.of(topic, "pooled")));

                WaterDropEndpoint.PoolDescriptor shown = context.getBean(WaterDropEndpoint.class).waterdrop().pools()
                    .iterator().next();
                assertThat(shown).isEqualTo(new WaterDropEndpoint.PoolDescriptor("payments", 2, 0, 2, 0, 0, false,
                        java.util.List.of("payments-0", "payments-1")));
            });
        assertThat(closedLater.get().stats().closed()).isTrue();
        assertThat(closedLater.get().members()).allSatisfy((member) -> assertThat(member.state().name())
            .isEqualTo("CLOSED"));
        assertThat(KafkaBroker.read(topic, 1, Duration.ofSeconds(30), true))
            .extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
            .containsExactly("pooled");
    }

    @Test
    void runWithPoolSizeButNoTransactionalIdShouldFailStartup() {
        this.runner.withPropertyValues("waterdrop.producers.payments.pool-size=4").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isNotNull();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof InvalidProducerConfigurationException)) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOfSatisfying(InvalidProducerConfigurationException.class, (e) -> {
                assertThat(e.key()).isEqualTo("kafka.transactional.id");
                assertThat(e).hasMessage("Producer 'payments': pool-size needs a transactional.id: set "
                        + "waterdrop.producers.payments.kafka.transactional.id (member i uses <transactional.id>-i), "
                        + "or remove pool-size for a single producer (set by waterdrop.producers.payments.pool-size)");
            });
        });
    }
}
