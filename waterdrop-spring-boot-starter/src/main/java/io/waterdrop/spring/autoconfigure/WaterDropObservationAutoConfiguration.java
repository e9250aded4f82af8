package io.waterdrop.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.waterdrop.ProducerObservation;
import io.waterdrop.ProducerObservationConvention;
import io.waterdrop.spring.WaterDropObservationProperties;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.internal.observation.ProducerObservationRegistrar;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of one Micrometer observation per sent message, when
 * {@code waterdrop.observation.enabled=true} and the application has an {@link ObservationRegistry}. A
 * {@link ProducerObservationConvention} bean replaces the default names and tags.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, ProducerObservation.class })
@ConditionalOnBean({ ObservationRegistry.class, WaterDropProducers.class })
@ConditionalOnBooleanProperty("waterdrop.observation.enabled")
@EnableConfigurationProperties(WaterDropObservationProperties.class)
public final class WaterDropObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProducerObservationRegistrar waterDropProducerObservationRegistrar(WaterDropProducers producers,
            ObservationRegistry registry, ObjectProvider<ProducerObservationConvention> convention) {
        return new ProducerObservationRegistrar(producers, registry, convention.getIfAvailable());
    }
}
