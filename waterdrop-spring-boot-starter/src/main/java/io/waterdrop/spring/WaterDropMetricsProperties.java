package io.waterdrop.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Micrometer meters of producers and Pollers, bound from {@code waterdrop.metrics.*}. */
@ConfigurationProperties("waterdrop.metrics")
public class WaterDropMetricsProperties {

    /** Whether to register waterdrop.* meters when the application has a MeterRegistry. */
    private boolean enabled = true;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
