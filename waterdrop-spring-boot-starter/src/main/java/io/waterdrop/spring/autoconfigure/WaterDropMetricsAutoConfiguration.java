package io.waterdrop.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.waterdrop.ProducerMeterBinder;
import io.waterdrop.spring.WaterDropMetricsProperties;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.internal.metrics.WaterDropMeterBinders;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of {@code waterdrop.*} meters for every producer and Poller,
 * when the application has a {@link MeterRegistry}; {@code waterdrop.metrics.enabled=false} switches them off.
 * Percentiles and histograms of {@code waterdrop.producer.delivery.latency} follow
 * {@code management.metrics.distribution.*}.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ProducerMeterBinder.class })
@ConditionalOnBean({ MeterRegistry.class, WaterDropProducers.class })
@ConditionalOnBooleanProperty(name = "waterdrop.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WaterDropMetricsProperties.class)
public final class WaterDropMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WaterDropMeterBinders waterDropMeterBinders(WaterDropProducers producers, WaterDropPollers pollers,
            WaterDropMetricsProperties properties) {
        return new WaterDropMeterBinders(producers, pollers, properties.getLatencySampleInterval());
    }
}
