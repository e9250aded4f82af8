package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.waterdrop.ProducerMeterBinder;
import io.waterdrop.spring.internal.metrics.WaterDropMeterBinders;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The conditions of {@link WaterDropMetricsAutoConfiguration}. */
class WaterDropMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, WaterDropAutoConfiguration.class,
                WaterDropMetricsAutoConfiguration.class))
        .withPropertyValues("waterdrop.producers.orders.polling.poller=critical",
                "waterdrop.pollers.critical.poll-timeout=500ms");

    @Test
    void runWithMeterRegistryShouldBindProducerAndPollerMeters() {
        this.runner.withUserConfiguration(Registry.class).run((context) -> {
            assertThat(context).hasSingleBean(WaterDropMeterBinders.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(ProducerMeterBinder.PRODUCED).tag("producer", "orders").functionCounter())
                .isNotNull();
            assertThat(registry.get("waterdrop.poller.iterations").tag("poller", "critical").functionCounter())
                .isNotNull();
            assertThat(registry.get("waterdrop.poller.iterations").tag("poller", "global").functionCounter())
                .isNotNull();
        });
    }

    @Test
    void runWithoutMeterRegistryShouldNotBindMeters() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(WaterDropMeterBinders.class));
    }

    @Test
    void runWhenDisabledShouldNotBindMeters() {
        this.runner.withUserConfiguration(Registry.class)
            .withPropertyValues("waterdrop.metrics.enabled=false")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(WaterDropMeterBinders.class);
                assertThat(context.getBean(MeterRegistry.class).find(ProducerMeterBinder.PRODUCED).meters())
                    .isEmpty();
            });
    }

    @Test
    void runWithoutMicrometerShouldNotBindMeters() {
        this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run((context) -> assertThat(context).doesNotHaveBean(WaterDropMeterBinders.class));
    }

    @Test
    void runWhenContextClosesShouldRemoveEveryMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        this.runner.withBean(MeterRegistry.class, () -> registry)
            .run((context) -> assertThat(registry.find(ProducerMeterBinder.PRODUCED).meters()).isNotEmpty());
        assertThat(registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("waterdrop."));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
