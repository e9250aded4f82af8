package io.waterdrop.spring.internal;

import io.waterdrop.Poller;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropPollers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names Pollers the way operators see them: {@value #GLOBAL} for the global Poller, the group name for a
 * {@code waterdrop.pollers} group, {@code poller-<id>} for a Poller the application built itself.
 */
public final class PollerNames {

    /** The global Poller's name in health, the endpoint and the {@code poller} meter tag. */
    public static final String GLOBAL = "global";

    private final Map<String, Poller> byName = new LinkedHashMap<>();

    public PollerNames(WaterDropPollers pollers) {
        this.byName.put(GLOBAL, pollers.global());
        this.byName.putAll(pollers.groups());
    }

    /** Every known Poller by name, the global one first. */
    public Map<String, Poller> all() {
        return this.byName;
    }

    /** The name of a producer's Poller, or {@code null} in thread mode. */
    public String of(Producer producer) {
        if (producer.config().pollingMode() != PollingMode.FD) {
            return null;
        }
        Poller poller = producer.config().poller();
        for (Map.Entry<String, Poller> entry : this.byName.entrySet()) {
            if (entry.getValue() == poller) {
                return entry.getKey();
            }
        }
        return "poller-" + poller.id();
    }
}
