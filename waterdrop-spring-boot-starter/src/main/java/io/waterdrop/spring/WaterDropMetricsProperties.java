package io.waterdrop.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Micrometer meters of producers and Pollers, bound from {@code waterdrop.metrics.*}. */
@ConfigurationProperties("waterdrop.metrics")
public class WaterDropMetricsProperties {

    /** Whether to register waterdrop.* meters when the application has a MeterRegistry. */
    private boolean enabled = true;

    /**
     * The delivery latency timer times one message in this many (a power of two; 1 = every message): clock reads are
     * what timing costs on the hot path. Rates come from the message counters, which count every message.
     */
    private int latencySampleInterval = 32;

    public int getLatencySampleInterval() {
        return this.latencySampleInterval;
    }

    public void setLatencySampleInterval(int latencySampleInterval) {
        this.latencySampleInterval = latencySampleInterval;
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
