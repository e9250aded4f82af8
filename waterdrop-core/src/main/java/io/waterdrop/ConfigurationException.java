package io.waterdrop;

/**
 * A setting was rejected: either a WaterDrop setting that failed validation, or a librdkafka property that
 * librdkafka refused. The message names the setting, the value (masked when it is a secret) and what to do.
 */
public class ConfigurationException extends WaterDropException {

    private final String key;

    public ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The setting that was rejected, e.g. {@code kafka.linger.ms} or {@code polling.fd.max-time}. */
    public String key() {
        return key;
    }
}
