package io.waterdrop.sample.boot;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Demo only: a real KRaft broker inside the application, so the sample needs no Kafka install. The producers find it
 * the way they would find a Testcontainers broker: through a {@link KafkaConnectionDetails} bean, used when
 * neither a producer nor {@code waterdrop.kafka} names bootstrap servers.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "waterdrop.sample.embedded-broker", matchIfMissing = true)
class EmbeddedBrokerConfiguration {

    static final List<String> TOPICS = List.of("orders", "audit", "bulk");

    /** Started by Spring (afterPropertiesSet) and stopped after the producers have flushed (destroy). */
    @Bean
    EmbeddedKafkaKraftBroker embeddedKafkaBroker() {
        return new EmbeddedKafkaKraftBroker(1, 3, TOPICS.toArray(String[]::new));
    }

    @Bean
    KafkaConnectionDetails embeddedKafkaConnectionDetails(EmbeddedKafkaKraftBroker broker) {
        return () -> List.of(broker.getBrokersAsString().split(","));
    }
}
