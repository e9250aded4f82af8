package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Producer;
import io.waterdrop.ProducerVariant;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.WaterDropEndpoint;
import io.waterdrop.spring.WaterDropEndpoint.ProducerDescriptor;
import io.waterdrop.spring.WaterDropVariants;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The conditions of {@link WaterDropVariantsAutoConfiguration}; no producer connects here. */
class WaterDropVariantsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropVariantsAutoConfiguration.class, WaterDropEndpointAutoConfiguration.class))
        .withPropertyValues("waterdrop.producers.orders.kafka.acks=all",
                "waterdrop.producers.orders.kafka.bootstrap.servers=localhost:9092");

    @Test
    void runWithVariantsShouldCreateAQualifiedBeanPerVariant() {
        this.runner.withUserConfiguration(InjectsVariant.class)
            .withPropertyValues("waterdrop.producers.orders.variants.fire-and-forget.kafka.acks=0",
                    "waterdrop.producers.orders.variants.compressed.kafka.compression.type=zstd")
            .run((context) -> {
                assertThat(context).getBeans(ProducerVariant.class)
                    .containsOnlyKeys("waterdrop.producers.orders.variants.fire-and-forget",
                            "waterdrop.producers.orders.variants.compressed");
                ProducerVariant injected = context.getBean(InjectsVariant.class).variant;
                assertThat(injected.settings()).isEqualTo(Map.of("acks", "0"));
                assertThat(injected.producer()).isSameAs(context.getBean("waterdrop.producers.orders", Producer.class));
                assertThat(context.getBean(WaterDropVariants.class).get("orders", "compressed").settings())
                    .isEqualTo(Map.of("compression.type", "zstd"));
            });
    }

    @Test
    void runWithoutVariantsShouldCreateNoVariantBean() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ProducerVariant.class)
            .hasSingleBean(WaterDropVariants.class));
    }

    @Test
    void runWithAClientLevelVariantKeyShouldFailNamingItsProperty() {
        this.runner.withPropertyValues("waterdrop.producers.orders.variants.fast.kafka.linger.ms=0")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ConfigurationException.class);
                Throwable failure = context.getStartupFailure();
                while (!(failure instanceof InvalidProducerConfigurationException)) {
                    failure = failure.getCause();
                }
                InvalidProducerConfigurationException invalid = (InvalidProducerConfigurationException) failure;
                assertThat(invalid.source()).isEqualTo("waterdrop.producers.orders.variants.fast.kafka.linger.ms");
                assertThat(invalid.getMessage()).contains("it is a client-level setting");
            });
    }

    @Test
    void runWithVariantsAndTheEndpointShouldListThemUnderTheirProducer() {
        this.runner
            .withPropertyValues("management.endpoints.web.exposure.include=waterdrop",
                    "waterdrop.producers.orders.variants.fire-and-forget.kafka.acks=0",
                    "waterdrop.producers.audit.kafka.bootstrap.servers=localhost:9092")
            .run((context) -> {
                Map<String, ProducerDescriptor> producers = new HashMap<>();
                context.getBean(WaterDropEndpoint.class).waterdrop().producers()
                    .forEach((p) -> producers.put(p.name(), p));
                assertThat(producers.get("orders").variants())
                    .isEqualTo(Map.of("fire-and-forget", Map.of("acks", "0")));
                assertThat(producers.get("audit").variants()).isEmpty();
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectsVariant {

        final ProducerVariant variant;

        InjectsVariant(@Qualifier("orders.fire-and-forget") ProducerVariant variant) {
            this.variant = variant;
        }
    }
}
