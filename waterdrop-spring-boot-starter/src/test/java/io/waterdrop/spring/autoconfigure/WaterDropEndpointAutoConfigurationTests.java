package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.waterdrop.Middleware;
import io.waterdrop.spring.WaterDropEndpoint;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The conditions of {@link WaterDropEndpointAutoConfiguration} and {@link WaterDropSecretsSanitizingAutoConfiguration}. */
class WaterDropEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropEndpointAutoConfiguration.class, WaterDropSecretsSanitizingAutoConfiguration.class));

    @Test
    void runWhenExposedShouldCreateEndpoint() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=waterdrop")
            .run((context) -> assertThat(context).hasSingleBean(WaterDropEndpoint.class));
    }

    @Test
    void runWhenNotExposedShouldNotCreateEndpoint() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(WaterDropEndpoint.class));
    }

    @Test
    void runWhenAccessIsNoneShouldNotCreateEndpoint() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=waterdrop",
                "management.endpoint.waterdrop.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(WaterDropEndpoint.class));
    }

    @Test
    void runWithoutActuatorShouldNotCreateEndpointOrSanitizingFunction() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=waterdrop")
            .withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class, SanitizingFunction.class))
            .run((context) -> assertThat(context).doesNotHaveBean(WaterDropEndpoint.class)
                .doesNotHaveBean(SanitizingFunction.class));
    }

    @Test
    void runWithMiddlewareBeansAndAnIdleTimeoutShouldShowBothPerProducer() {
        this.runner.withConfiguration(AutoConfigurations.of(WaterDropMiddlewareAutoConfiguration.class))
            .withBean("tenantHeader", Middleware.class, () -> (message) -> message)
            .withPropertyValues("management.endpoints.web.exposure.include=waterdrop",
                    "waterdrop.producers.orders.idle-disconnect-timeout=5m", "waterdrop.producers.audit.polling.mode=thread")
            .run((context) -> {
                Collection<WaterDropEndpoint.ProducerDescriptor> producers = context.getBean(WaterDropEndpoint.class)
                    .waterdrop()
                    .producers();
                assertThat(producers).extracting(WaterDropEndpoint.ProducerDescriptor::name,
                        WaterDropEndpoint.ProducerDescriptor::middleware,
                        WaterDropEndpoint.ProducerDescriptor::idleDisconnectTimeoutMillis)
                    .containsExactlyInAnyOrder(tuple("orders", List.of("tenantHeader"), 300_000L),
                            tuple("audit", List.of("tenantHeader"), null));
            });
    }

    @Test
    void runShouldRegisterTheSecretsSanitizingFunction() {
        this.runner.run((context) -> assertThat(context).hasBean("waterDropSecretsSanitizingFunction"));
    }
}
