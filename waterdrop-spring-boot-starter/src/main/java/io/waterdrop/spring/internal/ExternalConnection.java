package io.waterdrop.spring.internal;

import java.util.Map;

/**
 * Kafka connection settings found outside {@code waterdrop.*} (Spring Boot's {@code KafkaConnectionDetails}), used
 * for a producer whose librdkafka settings name no bootstrap servers.
 */
public interface ExternalConnection {

    /** librdkafka settings to add ({@code bootstrap.servers}, maybe {@code security.protocol}); empty for none. */
    Map<String, String> kafkaSettings();

    /** Where the settings come from, for messages. */
    String description();
}
