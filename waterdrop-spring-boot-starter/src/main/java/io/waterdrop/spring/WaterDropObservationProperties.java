package io.waterdrop.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Tracing of sent messages with Micrometer Observation, bound from {@code waterdrop.observation.*}. */
@ConfigurationProperties("waterdrop.observation")
public class WaterDropObservationProperties {

    /**
     * Whether to observe every sent message (one observation per message, trace context written into its headers
     * when a tracer is configured). Off by default: it costs an allocation and a timer per message.
     */
    private boolean enabled;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
