package io.waterdrop.spring.autoconfigure;

import io.waterdrop.ProducerVariant;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.WaterDropProperties;
import io.waterdrop.spring.WaterDropVariants;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of producer variants: a {@link ProducerVariant} bean per
 * {@code waterdrop.producers.<producer>.variants} entry and the {@link WaterDropVariants} registry.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class)
@ConditionalOnClass(ProducerVariant.class)
@ConditionalOnBean(WaterDropProducers.class)
@Import(WaterDropVariantBeanRegistrar.class)
public final class WaterDropVariantsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WaterDropVariants waterDropVariants(WaterDropProperties properties, WaterDropProducers producers) {
        return new WaterDropVariants(properties, producers);
    }
}
