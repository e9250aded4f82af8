package io.waterdrop.spring.internal;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Poller;
import io.waterdrop.spring.UnusedPollerSettingsException;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Poller groups exist: a group exists when a producer names it in {@code polling.poller};
 * {@code waterdrop.pollers.<group>} only carries its settings. This shape binds plainly (no empty YAML mapping is
 * needed to declare a group), and a settings entry that no producer uses fails startup, which catches typos.
 */
public final class PollerGroups {

    private PollerGroups() {
    }

    /** Every group named by a producer, with the producers naming it, in configuration order. */
    public static Map<String, List<String>> namedByProducers(WaterDropProperties properties) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        properties.getProducers().forEach((name, producer) -> {
            String group = producer.getPolling().getPoller();
            if (group != null && !group.isBlank()) {
                groups.computeIfAbsent(group, (key) -> new ArrayList<>()).add(name);
            }
        });
        return groups;
    }

    /**
     * One Poller per group named by a producer, with the group's settings from {@code waterdrop.pollers}.
     *
     * @throws UnusedPollerSettingsException when {@code waterdrop.pollers} holds a group no producer names
     * @throws ConfigurationException when a group's poll-timeout is below 1ms
     */
    public static WaterDropPollers create(WaterDropProperties properties) {
        List<String> used = List.copyOf(namedByProducers(properties).keySet());
        List<String> unused = properties.getPollers().keySet().stream().filter((g) -> !used.contains(g)).toList();
        if (!unused.isEmpty()) {
            throw new UnusedPollerSettingsException(unused, used);
        }
        Map<String, Poller> groups = new LinkedHashMap<>();
        for (String group : used) {
            WaterDropProperties.Poller settings = properties.getPollers().get(group);
            groups.put(group, settings != null ? new Poller(pollTimeout(group, settings)) : new Poller());
        }
        return new WaterDropPollers(groups);
    }

    private static Duration pollTimeout(String group, WaterDropProperties.Poller settings) {
        Duration pollTimeout = settings.getPollTimeout();
        if (pollTimeout == null || pollTimeout.compareTo(Duration.ofMillis(1)) < 0) {
            String key = "waterdrop.pollers." + group + ".poll-timeout";
            throw new ConfigurationException(key, key + " must be at least 1ms but was "
                    + (pollTimeout == null ? "empty" : pollTimeout.toMillis() + "ms"));
        }
        return pollTimeout;
    }
}
