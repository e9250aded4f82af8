package io.waterdrop.spring.internal.health;

import io.waterdrop.Poller;
import io.waterdrop.PollerStats;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One Poller: DOWN when it has producers and its thread is not alive, or when its loop has not turned for longer
 * than {@code stallMultiple} poll-timeouts; UP otherwise (a Poller without producers has no thread, by design).
 */
public final class PollerHealthIndicator implements HealthIndicator {

    private final Poller poller;
    private final int stallMultiple;
    private final Clock clock;

    public PollerHealthIndicator(Poller poller, int stallMultiple, Clock clock) {
        this.poller = poller;
        this.stallMultiple = Math.max(1, stallMultiple);
        this.clock = clock;
    }

    @Override
    public Health health() {
        PollerStats stats = this.poller.stats();
        Duration stallBound = stats.pollTimeout().multipliedBy(this.stallMultiple);
        Duration loopAge = stats.lastLoopTime() == null ? null
                : Duration.between(stats.lastLoopTime(), this.clock.instant());
        boolean serving = !stats.producers().isEmpty();
        Health.Builder health;
        if (serving && !stats.alive()) {
            health = Health.down().withDetail("reason", "its thread is not running but it has producers");
        }
        else if (serving && loopAge != null && loopAge.compareTo(stallBound) > 0) {
            health = Health.down().withDetail("reason", "its loop has not turned for " + loopAge.toMillis()
                    + "ms, over " + this.stallMultiple + " x poll-timeout (" + stats.pollTimeout().toMillis() + "ms)");
        }
        else {
            health = Health.up();
        }
        return health.withDetail("thread", stats.threadName())
            .withDetail("alive", stats.alive())
            .withDetail("producers", stats.producers())
            .withDetail("loopAgeMillis", loopAge == null ? -1 : loopAge.toMillis())
            .withDetail("wakeups", stats.wakeups())
            .withDetail("loopErrors", stats.loopErrors())
            .withDetail("restarts", stats.restarts())
            .build();
    }
}
