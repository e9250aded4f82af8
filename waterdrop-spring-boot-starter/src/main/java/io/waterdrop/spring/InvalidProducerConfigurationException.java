package io.waterdrop.spring;

import io.waterdrop.ConfigurationException;
import io.waterdrop.WaterDropException;

/**
 * A producer's configuration was rejected, by WaterDrop's validation or by librdkafka (an unknown key or an invalid
 * value). Tells which producer, which setting and where the setting came from. Secret values are never part of the
 * message.
 */
public class InvalidProducerConfigurationException extends WaterDropException {

    private final String producer;
    private final String key;
    private final String source;

    /**
     * @param producer the producer's name
     * @param source where the rejected setting came from, e.g. {@code waterdrop.producers.orders.kafka.acks}
     * @param cause core's rejection, naming the setting and (masked) value
     */
    public InvalidProducerConfigurationException(String producer, String source, ConfigurationException cause) {
        super("Producer '" + producer + "': " + cause.getMessage() + " (set by " + source + ")", cause);
        this.producer = producer;
        this.key = cause.key();
        this.source = source;
    }

    public String producer() {
        return this.producer;
    }

    /** The rejected setting as core names it, e.g. {@code kafka.linger.ms} or {@code polling.fd.max-time}. */
    public String key() {
        return this.key;
    }

    /** Where the setting came from: a property name, Spring Boot's KafkaConnectionDetails, or a customizer. */
    public String source() {
        return this.source;
    }

    @Override
    public synchronized ConfigurationException getCause() {
        return (ConfigurationException) super.getCause();
    }
}
