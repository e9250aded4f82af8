package io.waterdrop.spring;

import java.util.HashSet;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the {@code waterdrop} Actuator endpoint, bound from {@code management.endpoint.waterdrop.*}. */
@ConfigurationProperties("management.endpoint.waterdrop")
public class WaterDropEndpointProperties {

    /**
     * When to show the values of secret librdkafka settings (passwords, keys, tokens): never, when-authorized or
     * always. Other settings are always shown (through the application's sanitizing functions).
     */
    private Show showValues = Show.NEVER;

    /** Roles that may see secret values when show-values is when-authorized; empty means any authenticated user. */
    private final Set<String> roles = new HashSet<>();

    public Show getShowValues() {
        return this.showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return this.roles;
    }
}
