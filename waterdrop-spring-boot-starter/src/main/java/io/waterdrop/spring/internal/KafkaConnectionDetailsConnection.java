package io.waterdrop.spring.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * Reads the producer connection of Spring Boot's {@link KafkaConnectionDetails} bean, so that
 * {@code spring.kafka.bootstrap-servers} and Testcontainers' {@code @ServiceConnection} reach WaterDrop producers.
 * Only loaded when spring-boot-kafka is on the classpath.
 */
public final class KafkaConnectionDetailsConnection implements ExternalConnection {

    private static final Logger log = LoggerFactory.getLogger(KafkaConnectionDetailsConnection.class);

    private final ObjectProvider<KafkaConnectionDetails> connectionDetails;

    public KafkaConnectionDetailsConnection(ObjectProvider<KafkaConnectionDetails> connectionDetails) {
        this.connectionDetails = connectionDetails;
    }

    @Override
    public Map<String, String> kafkaSettings() {
        KafkaConnectionDetails details = this.connectionDetails.getIfAvailable();
        if (details == null) {
            return Map.of();
        }
        KafkaConnectionDetails.Configuration producer = details.getProducer();
        List<String> servers = producer.getBootstrapServers();
        if (servers == null || servers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", String.join(",", servers));
        String protocol = producer.getSecurityProtocol();
        if (protocol != null && !protocol.isBlank()) {
            // Java spells it SASL_SSL, librdkafka sasl_ssl.
            settings.put("security.protocol", protocol.toLowerCase(Locale.ROOT));
        }
        if (producer.getSslBundle() != null) {
            log.warn("KafkaConnectionDetails carries an SSL bundle, which librdkafka cannot use (it reads PEM files, "
                    + "not Java keystores); configure ssl.* under waterdrop.kafka instead");
        }
        return settings;
    }

    @Override
    public String description() {
        return "Spring Boot's KafkaConnectionDetails";
    }
}
