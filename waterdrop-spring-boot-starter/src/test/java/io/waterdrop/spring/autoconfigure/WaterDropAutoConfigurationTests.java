package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.waterdrop.Poller;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.ProducerState;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import io.waterdrop.spring.WaterDropProducers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Beans, defaults, primary, qualifiers, customizers and back-off of {@link WaterDropAutoConfiguration}. */
class WaterDropAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenNoProducersConfiguredShouldCreateDefaultProducer() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(Producer.class);
            assertThat(context).hasBean("waterdrop.producers.default");
            Producer producer = context.getBean(Producer.class);
            assertThat(producer.name()).isEqualTo("default");
            assertThat(producer.config().pollingMode()).isEqualTo(PollingMode.FD);
            assertThat(producer.config().hasDedicatedPoller()).isFalse();
            assertThat(context.getBean(WaterDropProducers.class).names()).containsExactly("default");
        });
    }

    @Test
    void whenNoProducersConfiguredDefaultProducerShouldBePrimary() {
        this.runner.run((context) -> assertThat(context.getBeanFactory()
            .getBeanDefinition("waterdrop.producers.default")
            .isPrimary()).isTrue());
    }

    @Test
    void whenDefaultProducerConfiguredAmongOthersShouldBePrimary() {
        this.runner.withPropertyValues("waterdrop.producers.default.close-timeout=5s",
                "waterdrop.producers.audit.close-timeout=5s")
            .run((context) -> assertThat(context.getBean(Producer.class).name()).isEqualTo("default"));
    }

    @Test
    void whenProducersConfiguredShouldCreateOneBeanPerProducer() {
        this.runner.withPropertyValues("waterdrop.producers.orders.primary=true", "waterdrop.producers.audit.kafka.acks=1",
                "waterdrop.producers.metrics.polling.mode=thread")
            .run((context) -> {
                assertThat(context.getBeansOfType(Producer.class)).containsOnlyKeys("waterdrop.producers.orders",
                        "waterdrop.producers.audit", "waterdrop.producers.metrics");
                assertThat(context.getBean("waterdrop.producers.audit", Producer.class).name()).isEqualTo("audit");
                assertThat(context.getBean("waterdrop.producers.metrics", Producer.class).config().pollingMode())
                    .isEqualTo(PollingMode.THREAD);
            });
    }

    @Test
    void whenProducersConfiguredShouldNotCreateDefaultProducer() {
        this.runner.withPropertyValues("waterdrop.producers.orders.primary=true")
            .run((context) -> assertThat(context).doesNotHaveBean("waterdrop.producers.default")
                .hasSingleBean(Producer.class));
    }

    @Test
    void whenProducerMarkedPrimaryShouldInjectItWithoutQualifier() {
        this.runner.withPropertyValues("waterdrop.producers.audit.close-timeout=1s",
                "waterdrop.producers.orders.primary=true", "waterdrop.producers.default.close-timeout=1s")
            .run((context) -> assertThat(context.getBean(Producer.class).name()).isEqualTo("orders"));
    }

    @Test
    void whenSeveralProducersAndNoneIsPrimaryShouldRequireQualifier() {
        this.runner.withPropertyValues("waterdrop.producers.orders.close-timeout=1s",
                "waterdrop.producers.audit.close-timeout=1s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThatExceptionOfType(NoUniqueBeanDefinitionException.class)
                    .isThrownBy(() -> context.getBean(Producer.class));
            });
    }

    @Test
    void whenQualifierNamesProducerShouldInjectThatProducer() {
        this.runner.withUserConfiguration(QualifiedInjectionConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.primary=true", "waterdrop.producers.audit.kafka.acks=1")
            .run((context) -> {
                QualifiedInjection injected = context.getBean(QualifiedInjection.class);
                assertThat(injected.orders.name()).isEqualTo("orders");
                assertThat(injected.audit.name()).isEqualTo("audit");
                assertThat(injected.primary).isSameAs(injected.orders);
            });
    }

    @Test
    void whenProducersConfiguredRegistryShouldGiveAllByName() {
        this.runner.withPropertyValues("waterdrop.producers.orders.primary=true", "waterdrop.producers.audit.kafka.acks=1")
            .run((context) -> {
                WaterDropProducers producers = context.getBean(WaterDropProducers.class);
                assertThat(producers.names()).containsExactlyInAnyOrder("orders", "audit");
                assertThat(producers.get("audit")).isSameAs(context.getBean("waterdrop.producers.audit"));
                assertThat(producers.find("missing")).isEmpty();
            });
    }

    @Test
    void whenUserDefinesProducerShouldNotCreateDefaultProducer() {
        this.runner.withUserConfiguration(ExtraProducerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(Producer.class);
            assertThat(context.getBean(Producer.class).name()).isEqualTo("mine");
            // The application's own producer is still managed: listed in the registry and closed on shutdown.
            assertThat(context.getBean(WaterDropProducers.class).names()).containsExactly("mine");
            assertThat(context.getBean(Producer.class).state()).isEqualTo(ProducerState.CONNECTED);
        });
    }

    @Test
    void whenUserDefinesProducerAndProducersConfiguredShouldCreateBoth() {
        this.runner.withUserConfiguration(ExtraProducerConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.primary=true")
            .run((context) -> assertThat(context.getBean(WaterDropProducers.class).names())
                .containsExactlyInAnyOrder("mine", "orders"));
    }

    @Test
    void whenUserDefinesProducersRegistryShouldBackOff() {
        this.runner.withUserConfiguration(CustomRegistryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(WaterDropProducers.class);
            assertThat(context.getBean(WaterDropProducers.class)).isSameAs(CustomRegistryConfiguration.REGISTRY);
        });
    }

    @Test
    void whenProducersNamePollerGroupsShouldCreateOnePollerBeanPerGroup() {
        this.runner.withPropertyValues("waterdrop.pollers.critical.poll-timeout=250ms",
                "waterdrop.producers.orders.polling.poller=critical", "waterdrop.producers.orders.primary=true",
                "waterdrop.producers.payments.polling.poller=critical", "waterdrop.producers.bulk.polling.poller=bulk")
            .run((context) -> {
                assertThat(context.getBeansOfType(Poller.class)).containsOnlyKeys("waterDropGlobalPoller",
                        "waterdrop.pollers.critical", "waterdrop.pollers.bulk");
                Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
                assertThat(critical.stats().pollTimeout()).isEqualTo(Duration.ofMillis(250));
                assertThat(context.getBean("waterdrop.pollers.bulk", Poller.class).stats().pollTimeout())
                    .isEqualTo(Poller.DEFAULT_POLL_TIMEOUT);
                assertThat(context.getBean(WaterDropPollers.class).groups()).containsOnlyKeys("critical", "bulk");
                assertThat(critical.stats().producers()).containsExactlyInAnyOrder("orders", "payments");
            });
    }

    @Test
    void whenPollerGroupIsOnlyNamedByProducerShouldCreateItWithDefaults() {
        this.runner.withPropertyValues("waterdrop.producers.default.polling.poller=critical").run((context) -> {
            Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
            assertThat(critical.stats().pollTimeout()).isEqualTo(Poller.DEFAULT_POLL_TIMEOUT);
            assertThat(context.getBean(Producer.class).config().poller()).isSameAs(critical);
            assertThat(context.getBean(WaterDropPollers.class).groups()).containsOnlyKeys("critical");
        });
    }

    @Test
    void whenNoProducerNamesPollerGroupShouldCreateNoGroupPoller() {
        this.runner.run((context) -> {
            assertThat(context.getBeansOfType(Poller.class)).containsOnlyKeys("waterDropGlobalPoller");
            assertThat(context.getBean(WaterDropPollers.class).groups()).isEmpty();
        });
    }

    @Test
    void whenPollerInjectedWithoutQualifierShouldBeGlobalPoller() {
        this.runner.withPropertyValues("waterdrop.producers.default.polling.poller=critical")
            .run((context) -> assertThat(context.getBean(Poller.class)).isSameAs(Poller.global()));
    }

    @Test
    void whenPollerQualifiedByGroupShouldInjectGroupPoller() {
        this.runner.withUserConfiguration(QualifiedPollerConfiguration.class)
            .withPropertyValues("waterdrop.producers.default.polling.poller=critical")
            .run((context) -> assertThat(context.getBean(QualifiedPollerConfiguration.class).critical)
                .isSameAs(context.getBean(WaterDropPollers.class).groups().get("critical")));
    }

    @Test
    void whenProducerNamesPollerGroupShouldUseThatPoller() {
        this.runner.withPropertyValues("waterdrop.producers.orders.polling.poller=critical",
                "waterdrop.producers.audit.kafka.acks=1", "waterdrop.producers.orders.primary=true")
            .run((context) -> {
                Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
                Producer orders = context.getBean("waterdrop.producers.orders", Producer.class);
                Producer audit = context.getBean("waterdrop.producers.audit", Producer.class);
                assertThat(orders.config().poller()).isSameAs(critical);
                assertThat(orders.pollingInfo().threadName()).isEqualTo(critical.threadName());
                assertThat(audit.config().poller()).isSameAs(Poller.global());
                assertThat(critical.stats().producers()).containsExactly("orders");
            });
    }

    @Test
    void whenUserDefinesPollersShouldBackOffAndServeTheirGroups() {
        this.runner.withUserConfiguration(CustomPollersConfiguration.class)
            .withPropertyValues("waterdrop.producers.default.polling.poller=in-code")
            .run((context) -> {
                assertThat(context.getBean(WaterDropPollers.class)).isSameAs(CustomPollersConfiguration.POLLERS);
                assertThat(context.getBean(Producer.class).config().poller())
                    .isSameAs(CustomPollersConfiguration.POLLERS.groups().get("in-code"));
            });
    }

    @Test
    void whenThreadModeConfiguredShouldPollOnProducersOwnThread() {
        this.runner.withPropertyValues("waterdrop.producers.default.polling.mode=thread",
                "waterdrop.producers.default.polling.thread.poll-timeout=50ms")
            .run((context) -> {
                Producer producer = context.getBean(Producer.class);
                assertThat(producer.pollingInfo().mode()).isEqualTo(PollingMode.THREAD);
                assertThat(producer.pollingInfo().threadName()).isEqualTo("waterdrop.native_kafka#default");
                assertThat(producer.pollingInfo().pollTimeout()).isEqualTo(Duration.ofMillis(50));
            });
    }

    @Test
    void whenCustomizersDefinedShouldApplyThemInOrderToEveryProducer() {
        this.runner.withUserConfiguration(CustomizersConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.kafka.linger.ms=5", "waterdrop.producers.orders.primary=true",
                    "waterdrop.producers.audit.kafka.linger.ms=5")
            .run((context) -> {
                ProducerConfig orders = context.getBean("waterdrop.producers.orders", Producer.class).config();
                ProducerConfig audit = context.getBean("waterdrop.producers.audit", Producer.class).config();
                // The second customizer (order 2) ran after the first (order 1) and after the properties.
                assertThat(orders.kafka()).containsEntry("linger.ms", "20").containsEntry("client.id", "orders-app");
                assertThat(audit.kafka()).containsEntry("linger.ms", "20").containsEntry("client.id", "audit-app");
                assertThat(orders.closeTimeout()).isEqualTo(Duration.ofSeconds(7));
                assertThat(audit.closeTimeout()).isEqualTo(ProducerConfig.DEFAULT_CLOSE_TIMEOUT);
            });
    }

    @Test
    void whenContextRunsShouldConnectProducersAndCloseThemOnShutdown() {
        AtomicReference<Producer> producer = new AtomicReference<>();
        this.runner.run((context) -> {
            producer.set(context.getBean(Producer.class));
            assertThat(producer.get().state()).isEqualTo(ProducerState.CONNECTED);
        });
        assertThat(producer.get().state()).isEqualTo(ProducerState.CLOSED);
    }

    @Configuration(proxyBeanMethods = false)
    static class ExtraProducerConfiguration {

        @Bean
        Producer mine() {
            return new Producer(ProducerConfig.builder().name("mine").build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomRegistryConfiguration {

        static final WaterDropProducers REGISTRY = new WaterDropProducers(List.of());

        @Bean
        WaterDropProducers myProducers() {
            return REGISTRY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomPollersConfiguration {

        static final WaterDropPollers POLLERS = new WaterDropPollers(Map.of("in-code", new Poller()));

        @Bean
        WaterDropPollers myPollers() {
            return POLLERS;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedInjectionConfiguration {

        @Bean
        QualifiedInjection qualifiedInjection(@Qualifier("orders") Producer orders, @Qualifier("audit") Producer audit,
                Producer primary) {
            return new QualifiedInjection(orders, audit, primary);
        }
    }

    record QualifiedInjection(Producer orders, Producer audit, Producer primary) {
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedPollerConfiguration {

        Poller critical;

        @Bean
        Object pollerUser(@Qualifier("critical") Poller critical) {
            this.critical = critical;
            return new Object();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizersConfiguration {

        @Bean
        @Order(2)
        WaterDropProducerCustomizer second() {
            return (name, builder) -> builder.kafka("linger.ms", "20");
        }

        @Bean
        @Order(1)
        WaterDropProducerCustomizer first() {
            return (name, builder) -> {
                builder.kafka("linger.ms", "10").kafka("client.id", name + "-app");
                if (name.equals("orders")) {
                    builder.closeTimeout(Duration.ofSeconds(7));
                }
            };
        }
    }
}
