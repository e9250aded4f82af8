package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.ProducerPool;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.WaterDropProperties;
import io.waterdrop.spring.internal.ExternalConnection;
import io.waterdrop.spring.internal.KafkaConnectionDetailsConnection;
import io.waterdrop.spring.internal.PollerGroups;
import io.waterdrop.spring.internal.PollersLifecycle;
import io.waterdrop.spring.internal.ProducerPoolsLifecycle;
import io.waterdrop.spring.internal.ProducersLifecycle;
import io.waterdrop.spring.internal.SpringKafkaPropertiesConnection;
import io.waterdrop.spring.internal.WaterDropProducerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for WaterDrop producers: one {@link Producer} bean per
 * {@code waterdrop.producers} entry (or one named {@code default}), one {@link Poller} bean per group a producer
 * names in {@code polling.poller} plus the global Poller, the {@link WaterDropProducers} registry, and the lifecycle
 * that flushes and closes every producer before the Pollers stop.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(Producer.class)
@EnableConfigurationProperties(WaterDropProperties.class)
@Import(WaterDropBeanRegistrar.class)
public final class WaterDropAutoConfiguration {

    /** One Poller per group a producer names in {@code polling.poller}, with its {@code waterdrop.pollers} settings. */
    @Bean
    @ConditionalOnMissingBean
    WaterDropPollers waterDropPollers(WaterDropProperties properties) {
        return PollerGroups.create(properties);
    }

    /** The global Poller; primary, so a plain {@code Poller} injection point gets it. */
    @Bean
    @Primary
    Poller waterDropGlobalPoller(WaterDropPollers pollers) {
        return pollers.global();
    }

    @Bean
    WaterDropProducerFactory waterDropProducerFactory(WaterDropProperties properties, WaterDropPollers pollers,
            ObjectProvider<WaterDropProducerCustomizer> customizers,
            ObjectProvider<ExternalConnection> externalConnections) {
        return new WaterDropProducerFactory(properties, pollers, customizers::orderedStream,
                externalConnections::orderedStream);
    }

    /** spring.kafka.bootstrap-servers and friends, read even when neither spring-kafka nor spring-boot-kafka is. */
    @Bean
    SpringKafkaPropertiesConnection waterDropSpringKafkaPropertiesConnection(Environment environment,
            ObjectProvider<SslBundles> sslBundles) {
        return new SpringKafkaPropertiesConnection(environment, sslBundles::getIfAvailable);
    }

    /** Every Producer bean, the auto-configured ones and the application's own. */
    @Bean
    @ConditionalOnMissingBean
    WaterDropProducers waterDropProducers(ObjectProvider<Producer> producers) {
        return new WaterDropProducers(producers.orderedStream().toList());
    }

    @Bean
    ProducersLifecycle waterDropProducersLifecycle(WaterDropProducers producers) {
        return new ProducersLifecycle(producers);
    }

    /** Closes every ProducerPool ({@code pool-size} entries and the application's own) with the producers. */
    @Bean
    ProducerPoolsLifecycle waterDropProducerPoolsLifecycle(ObjectProvider<ProducerPool> pools) {
        return new ProducerPoolsLifecycle(() -> pools.orderedStream().toList());
    }

    @Bean
    PollersLifecycle waterDropPollersLifecycle(WaterDropPollers pollers) {
        return new PollersLifecycle(pollers);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaConnectionDetails.class)
    static class KafkaConnectionDetailsConfiguration {

        @Bean
        KafkaConnectionDetailsConnection waterDropKafkaConnectionDetailsConnection(
                ObjectProvider<KafkaConnectionDetails> connectionDetails, Environment environment) {
            return new KafkaConnectionDetailsConnection(connectionDetails, environment);
        }
    }
}
