package io.waterdrop.spring;

import io.waterdrop.WaterDropException;
import java.util.List;

/**
 * {@code waterdrop.pollers.<group>} holds settings for a Poller group that no producer names in
 * {@code polling.poller}: most likely a misspelled group name.
 */
public class UnusedPollerSettingsException extends WaterDropException {

    private final List<String> unusedGroups;
    private final List<String> usedGroups;

    /**
     * @param unusedGroups the groups with settings that no producer names
     * @param usedGroups the groups producers do name
     */
    public UnusedPollerSettingsException(List<String> unusedGroups, List<String> usedGroups) {
        super("waterdrop.pollers has settings for " + unusedGroups + " but no producer names "
                + (unusedGroups.size() == 1 ? "that group" : "those groups") + " in polling.poller; "
                + (usedGroups.isEmpty() ? "no producer names any group" : "the groups in use are " + usedGroups));
        this.unusedGroups = List.copyOf(unusedGroups);
        this.usedGroups = List.copyOf(usedGroups);
    }

    /** The groups with settings that no producer names. */
    public List<String> unusedGroups() {
        return this.unusedGroups;
    }

    /** The groups producers name in {@code polling.poller}. */
    public List<String> usedGroups() {
        return this.usedGroups;
    }
}
