package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropEndpoint;
import io.waterdrop.spring.WaterDropEndpointProperties;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.WaterDropVariants;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code waterdrop} Actuator endpoint, when it is
 * available (enabled and exposed, e.g. {@code management.endpoints.web.exposure.include=health,waterdrop}).
 */
@AutoConfiguration(after = { WaterDropAutoConfiguration.class, WaterDropVariantsAutoConfiguration.class })
@ConditionalOnClass({ Producer.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(WaterDropEndpoint.class)
@ConditionalOnBean(WaterDropProducers.class)
@EnableConfigurationProperties(WaterDropEndpointProperties.class)
public final class WaterDropEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WaterDropEndpoint waterDropEndpoint(WaterDropProducers producers, WaterDropPollers pollers,
            WaterDropEndpointProperties properties, ObjectProvider<SanitizingFunction> sanitizingFunctions,
            ObjectProvider<WaterDropVariants> variants) {
        return new WaterDropEndpoint(producers, pollers, sanitizingFunctions.orderedStream().toList(),
                properties.getShowValues(), properties.getRoles(), variants.getIfAvailable());
    }
}
