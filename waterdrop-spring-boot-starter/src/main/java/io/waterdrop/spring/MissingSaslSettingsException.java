package io.waterdrop.spring;

import io.waterdrop.WaterDropException;

/**
 * Spring Boot's Kafka connection (a {@code KafkaConnectionDetails} bean or {@code spring.kafka.security.protocol})
 * asks a producer for SASL, but no librdkafka {@code sasl.*} setting is configured for it. librdkafka would then try
 * Kerberos (its default mechanism, GSSAPI) and fail with an error about Kerberos settings, or only when it connects.
 */
public class MissingSaslSettingsException extends WaterDropException {

    private final String producer;
    private final String securityProtocol;
    private final String source;
    private final String producerKafkaProperty;

    /**
     * @param producer the producer's name
     * @param securityProtocol the protocol, in librdkafka's spelling ({@code sasl_ssl})
     * @param source where the protocol comes from
     * @param producerKafkaProperty the producer's own librdkafka settings ({@code waterdrop.producers.<name>.kafka})
     */
    public MissingSaslSettingsException(String producer, String securityProtocol, String source,
            String producerKafkaProperty) {
        super("Producer '" + producer + "' connects with security.protocol=" + securityProtocol + " (from " + source
                + ") but no sasl.* setting is configured in waterdrop.kafka or " + producerKafkaProperty);
        this.producer = producer;
        this.securityProtocol = securityProtocol;
        this.source = source;
        this.producerKafkaProperty = producerKafkaProperty;
    }

    /** The producer's name. */
    public String producer() {
        return this.producer;
    }

    /** The SASL protocol, in librdkafka's spelling ({@code sasl_plaintext} or {@code sasl_ssl}). */
    public String securityProtocol() {
        return this.securityProtocol;
    }

    /** Where the protocol comes from (a KafkaConnectionDetails bean, a spring.kafka property). */
    public String source() {
        return this.source;
    }

    /** The property holding the producer's own librdkafka settings. */
    public String producerKafkaProperty() {
        return this.producerKafkaProperty;
    }
}
