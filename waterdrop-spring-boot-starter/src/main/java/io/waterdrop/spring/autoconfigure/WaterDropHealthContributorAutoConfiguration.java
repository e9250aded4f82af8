package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropHealthProperties;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.internal.health.WaterDropHealthContributors;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code waterdrop} health contributor: one indicator per
 * producer ({@code waterdrop/<producer>}) and per Poller ({@code waterdrop/pollers/<name>}). Switched off with
 * {@code management.health.waterdrop.enabled=false}.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class)
@ConditionalOnClass({ Producer.class, HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(WaterDropProducers.class)
@ConditionalOnEnabledHealthIndicator("waterdrop")
@EnableConfigurationProperties(WaterDropHealthProperties.class)
public final class WaterDropHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = { "waterdropHealthIndicator", "waterdropHealthContributor" })
    HealthContributor waterdropHealthContributor(WaterDropProducers producers, WaterDropPollers pollers,
            WaterDropHealthProperties properties) {
        return WaterDropHealthContributors.create(producers, pollers, properties);
    }
}
