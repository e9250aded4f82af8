package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.spring.internal.health.ProducerHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The conditions of {@link WaterDropHealthContributorAutoConfiguration}. */
class WaterDropHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropHealthContributorAutoConfiguration.class))
        .withPropertyValues("waterdrop.producers.orders.polling.poller=critical",
                "waterdrop.pollers.critical.poll-timeout=500ms", "waterdrop.producers.audit.polling.mode=thread");

    @Test
    void runShouldCreateContributorWithOneEntryPerProducerAndPoller() {
        this.runner.run((context) -> {
            assertThat(context).hasBean("waterdropHealthContributor");
            CompositeHealthContributor waterdrop = (CompositeHealthContributor) context
                .getBean("waterdropHealthContributor");
            assertThat(waterdrop.getContributor("orders")).isInstanceOf(ProducerHealthIndicator.class);
            assertThat(waterdrop.getContributor("audit")).isInstanceOf(ProducerHealthIndicator.class);
            CompositeHealthContributor pollers = (CompositeHealthContributor) waterdrop.getContributor("pollers");
            assertThat(pollers.getContributor("global")).isNotNull();
            assertThat(pollers.getContributor("critical")).isNotNull();
            Health orders = ((HealthIndicator) waterdrop.getContributor("orders")).health();
            assertThat(orders.getStatus()).isEqualTo(Status.UP);
            assertThat(orders.getDetails()).containsEntry("poller", "critical").containsEntry("mode", "fd");
            Health audit = ((HealthIndicator) waterdrop.getContributor("audit")).health();
            assertThat(audit.getDetails()).containsEntry("mode", "thread").doesNotContainKey("poller");
        });
    }

    @Test
    void runWhenDisabledShouldNotCreateContributor() {
        this.runner.withPropertyValues("management.health.waterdrop.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("waterdropHealthContributor"));
    }

    @Test
    void runWhenDefaultsDisabledShouldNotCreateContributor() {
        this.runner.withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("waterdropHealthContributor"));
    }

    @Test
    void runWithoutHealthModuleShouldNotCreateContributor() {
        this.runner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
            .run((context) -> assertThat(context).doesNotHaveBean("waterdropHealthContributor"));
    }

    @Test
    void runWithUserDefinedContributorShouldBackOff() {
        this.runner.withUserConfiguration(OwnContributor.class).run((context) -> {
            assertThat(context).hasSingleBean(HealthContributor.class);
            assertThat(context.getBean("waterdropHealthIndicator")).isSameAs(OwnContributor.INDICATOR);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnContributor {

        static final HealthIndicator INDICATOR = () -> Health.up().build();

        @Bean
        HealthIndicator waterdropHealthIndicator() {
            return INDICATOR;
        }
    }
}
