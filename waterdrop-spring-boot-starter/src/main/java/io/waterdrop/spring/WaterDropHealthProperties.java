package io.waterdrop.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the {@code waterdrop} health contributor judges producers and Pollers, bound from {@code waterdrop.health.*}.
 * Switch the contributor off with {@code management.health.waterdrop.enabled=false}.
 */
@ConfigurationProperties("waterdrop.health")
public class WaterDropHealthProperties {

    /**
     * How long librdkafka may report every broker down before a producer's health takes brokers-down-status.
     */
    private Duration brokersDownGracePeriod = Duration.ofSeconds(30);

    /**
     * Health status of a producer whose brokers have all been down for longer than the grace period: DOWN, or e.g.
     * OUT_OF_SERVICE, UNKNOWN or UP to keep a broker outage out of this application's health. Brokers that refused
     * this producer's credentials make it DOWN regardless.
     */
    private String brokersDownStatus = "DOWN";

    /**
     * A Poller serving producers is DOWN when its loop has not turned for longer than this many poll-timeouts.
     */
    private int pollerStallMultiple = 3;

    public Duration getBrokersDownGracePeriod() {
        return this.brokersDownGracePeriod;
    }

    public void setBrokersDownGracePeriod(Duration brokersDownGracePeriod) {
        this.brokersDownGracePeriod = brokersDownGracePeriod;
    }

    public String getBrokersDownStatus() {
        return this.brokersDownStatus;
    }

    public void setBrokersDownStatus(String brokersDownStatus) {
        this.brokersDownStatus = brokersDownStatus;
    }

    public int getPollerStallMultiple() {
        return this.pollerStallMultiple;
    }

    public void setPollerStallMultiple(int pollerStallMultiple) {
        this.pollerStallMultiple = pollerStallMultiple;
    }
}
