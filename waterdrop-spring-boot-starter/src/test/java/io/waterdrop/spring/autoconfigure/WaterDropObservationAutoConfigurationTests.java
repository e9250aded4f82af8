package io.waterdrop.spring.autoconfigure;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.waterdrop.DefaultProducerObservationConvention;
import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.ProducerObservationContext;
import io.waterdrop.ProducerObservationConvention;
import io.waterdrop.spring.internal.observation.ProducerObservationRegistrar;
import io.waterdrop.test.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The conditions of {@link WaterDropObservationAutoConfiguration}, and one observed message on a real broker. */
class WaterDropObservationAutoConfigurationTests {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropObservationAutoConfiguration.class))
        .withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers());

    @Test
    void runWhenEnabledShouldObserveEveryMessage() {
        String topic = KafkaBroker.newTopic("observed-boot");
        this.runner.withBean(ObservationRegistry.class, () -> this.registry)
            .withPropertyValues("waterdrop.observation.enabled=true")
            .run((context) -> {
                assertThat(context).hasSingleBean(ProducerObservationRegistrar.class);
                context.getBean(Producer.class).produceSync(Message.of(topic, "traced"));
                assertThat(this.registry).hasSingleObservationThat()
                    .hasNameEqualTo(DefaultProducerObservationConvention.NAME)
                    .hasLowCardinalityKeyValue("messaging.destination.name", topic)
                    .hasLowCardinalityKeyValue("waterdrop.producer", "default")
                    .hasBeenStopped();
            });
    }

    @Test
    void runWithConventionBeanShouldUseIt() {
        String topic = KafkaBroker.newTopic("observed-convention");
        this.runner.withBean(ObservationRegistry.class, () -> this.registry)
            .withBean(ProducerObservationConvention.class, () -> new DefaultProducerObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(ProducerObservationContext context) {
                    return super.getLowCardinalityKeyValues(context).and("team", "payments");
                }
            })
            .withPropertyValues("waterdrop.observation.enabled=true")
            .run((context) -> {
                context.getBean(Producer.class).produceSync(Message.of(topic, "traced"));
                assertThat(this.registry).hasSingleObservationThat().hasLowCardinalityKeyValue("team", "payments");
            });
    }

    @Test
    void runByDefaultShouldNotObserve() {
        this.runner.withBean(ObservationRegistry.class, () -> this.registry)
            .run((context) -> assertThat(context).doesNotHaveBean(ProducerObservationRegistrar.class));
    }

    @Test
    void runWithoutObservationRegistryShouldNotObserve() {
        this.runner.withPropertyValues("waterdrop.observation.enabled=true")
            .run((context) -> assertThat(context).doesNotHaveBean(ProducerObservationRegistrar.class));
    }

    @Test
    void runWithoutMicrometerObservationShouldNotObserve() {
        this.runner.withPropertyValues("waterdrop.observation.enabled=true")
            .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
            .run((context) -> assertThat(context).doesNotHaveBean(ProducerObservationRegistrar.class));
    }
}
