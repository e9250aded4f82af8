package io.waterdrop.spring.internal.health;

import io.waterdrop.KafkaError;
import io.waterdrop.PollingInfo;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerMetrics;
import io.waterdrop.ProducerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One producer's local truth: DOWN on a librdkafka fatal error or when it is closed (the application context closes
 * its producers only on shutdown); when every broker has been down for longer than the grace period, DOWN if a
 * broker refused the credentials (this application's fault, whatever {@code brokersDownStatus} says), else
 * {@code brokersDownStatus}; else UP, a producer disconnected for idleness ({@code DISCONNECTED}) included. Never
 * contacts the cluster itself.
 */
public final class ProducerHealthIndicator implements HealthIndicator {

    private final Producer producer;
    private final String poller;
    private final Duration brokersDownGracePeriod;
    private final Status brokersDownStatus;
    private final Clock clock;

    /**
     * @param poller the name of the producer's Poller ({@code global} or its group), {@code null} in thread mode
     */
    public ProducerHealthIndicator(Producer producer, String poller, Duration brokersDownGracePeriod,
            Status brokersDownStatus, Clock clock) {
        this.producer = producer;
        this.poller = poller;
        this.brokersDownGracePeriod = brokersDownGracePeriod;
        this.brokersDownStatus = brokersDownStatus;
        this.clock = clock;
    }

    @Override
    public Health health() {
        ProducerState state = this.producer.state();
        ProducerMetrics metrics = this.producer.metrics();
        Health.Builder health = Health.up();
        KafkaError fatal = this.producer.fatalError();
        Instant downSince = metrics.allBrokersDownSince();
        if (state == ProducerState.CLOSING || state == ProducerState.CLOSED) {
            health = Health.down().withDetail("reason", "the producer is " + state.name().toLowerCase());
        }
        else if (fatal != null) {
            health = Health.down().withDetail("reason", "librdkafka fatal error: " + fatal);
        }
        else if (downSince != null
                && Duration.between(downSince, this.clock.instant()).compareTo(this.brokersDownGracePeriod) > 0) {
            ProducerMetrics.LastError refused = metrics.authenticationFailure();
            health = (refused != null) ? Health.down().withDetail("reason", "authentication failed: "
                    + refused.error().message() + " (every broker down since " + downSince + ")")
                    : Health.status(this.brokersDownStatus).withDetail("reason",
                            "librdkafka reports every broker down since " + downSince);
        }
        PollingInfo polling = this.producer.pollingInfo();
        health.withDetail("state", state.name());
        health.withDetail("mode", polling.mode().name().toLowerCase());
        if (polling.mode() == PollingMode.FD) {
            health.withDetail("poller", this.poller);
        }
        health.withDetail("thread", polling.threadName());
        health.withDetail("queueLength", this.producer.queueLength());
        health.withDetail("inFlight", metrics.inFlight());
        health.withDetail("delivered", metrics.acknowledged());
        health.withDetail("failed", metrics.failed());
        if (metrics.brokersTotal() >= 0) {
            health.withDetail("brokersUp", metrics.brokersUp());
            health.withDetail("brokersTotal", metrics.brokersTotal());
        }
        if (downSince != null) {
            health.withDetail("allBrokersDownSince", downSince.toString());
        }
        if (metrics.lastError() != null) {
            health.withDetail("lastError", lastError(metrics.lastError()));
        }
        return health.build();
    }

    static Map<String, Object> lastError(ProducerMetrics.LastError error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", error.type());
        details.put("code", error.error().name());
        details.put("message", error.error().message());
        details.put("at", error.at().toString());
        return details;
    }
}
