package io.waterdrop.spring.internal.health;

import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropHealthProperties;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.internal.PollerNames;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;

/**
 * Builds the {@code waterdrop} composite: one indicator per producer at the top ({@code waterdrop/orders}, so a
 * health group can include a single producer) and one per Poller under {@code pollers}
 * ({@code waterdrop/pollers/global}).
 */
public final class WaterDropHealthContributors {

    /** The entry holding the Pollers; a producer with this name keeps it and the Pollers move to "waterdrop-pollers". */
    static final String POLLERS = "pollers";

    private WaterDropHealthContributors() {
    }

    public static HealthContributor create(WaterDropProducers producers, WaterDropPollers pollers,
            WaterDropHealthProperties properties) {
        Clock clock = Clock.systemUTC();
        PollerNames names = new PollerNames(pollers);
        Status brokersDown = new Status(properties.getBrokersDownStatus().trim().toUpperCase());
        Map<String, HealthContributor> entries = new LinkedHashMap<>();
        for (Producer producer : producers) {
            entries.put(producer.name(), new ProducerHealthIndicator(producer, names.of(producer),
                    properties.getBrokersDownGracePeriod(), brokersDown, clock));
        }
        Map<String, HealthContributor> pollerEntries = new LinkedHashMap<>();
        for (Map.Entry<String, Poller> entry : names.all().entrySet()) {
            pollerEntries.put(entry.getKey(), new PollerHealthIndicator(entry.getValue(),
                    properties.getPollerStallMultiple(), clock));
        }
        entries.put(entries.containsKey(POLLERS) ? "waterdrop-" + POLLERS : POLLERS,
                CompositeHealthContributor.fromMap(pollerEntries));
        return CompositeHealthContributor.fromMap(entries);
    }
}
