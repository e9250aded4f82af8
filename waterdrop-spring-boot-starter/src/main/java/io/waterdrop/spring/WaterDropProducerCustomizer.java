package io.waterdrop.spring;

import io.waterdrop.ProducerConfig;

/**
 * Adjusts the configuration of auto-configured producers in code, after {@code waterdrop.*} properties and the
 * bootstrap servers were applied and before the producer is built. Every customizer bean is called for every
 * producer, in {@link org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order; check {@code producerName} to touch only some.
 *
 * <pre>{@code
 * @Bean
 * WaterDropProducerCustomizer statistics() {
 *     return (name, builder) -> builder.kafka("statistics.interval.ms", "5000");
 * }
 * }</pre>
 */
@FunctionalInterface
public interface WaterDropProducerCustomizer {

    /**
     * Customizes one producer's configuration.
     *
     * @param producerName the producer's name (the key under {@code waterdrop.producers}, or {@code default})
     * @param builder its configuration, pre-filled from properties; validated when the producer is built
     */
    void customize(String producerName, ProducerConfig.Builder builder);
}
