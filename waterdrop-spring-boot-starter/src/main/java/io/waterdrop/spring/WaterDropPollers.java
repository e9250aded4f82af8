package io.waterdrop.spring;

import io.waterdrop.Poller;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Pollers fd-mode producers can be assigned to: the {@linkplain Poller#global() global} one and the dedicated
 * groups, by name. The auto-configured instance holds one {@link Poller} per group a producer names in
 * {@code waterdrop.producers.<name>.polling.poller}, with the settings of {@code waterdrop.pollers.<group>}; define a
 * bean of this type to build the groups in code instead.
 */
public final class WaterDropPollers {

    private final Map<String, Poller> groups;

    /** @param groups dedicated Pollers by group name (iteration order kept) */
    public WaterDropPollers(Map<String, Poller> groups) {
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** The Poller of every fd producer that names no group. */
    public Poller global() {
        return Poller.global();
    }

    /** The Poller of a group, if the group exists. */
    public Optional<Poller> find(String group) {
        return Optional.ofNullable(this.groups.get(group));
    }

    /** Dedicated Pollers by group name (unmodifiable). */
    public Map<String, Poller> groups() {
        return this.groups;
    }

    /** The global Poller first, then every group's. */
    public List<Poller> all() {
        List<Poller> all = new ArrayList<>(this.groups.size() + 1);
        all.add(global());
        all.addAll(this.groups.values());
        return all;
    }

    @Override
    public String toString() {
        return "WaterDropPollers[global, groups=" + this.groups.keySet() + "]";
    }
}
