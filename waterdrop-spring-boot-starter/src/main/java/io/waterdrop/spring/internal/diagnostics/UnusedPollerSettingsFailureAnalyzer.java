package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.UnusedPollerSettingsException;
import java.util.List;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains settings under {@code waterdrop.pollers} for a group no producer names (a typo, most of the time). */
class UnusedPollerSettingsFailureAnalyzer extends AbstractFailureAnalyzer<UnusedPollerSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnusedPollerSettingsException cause) {
        String properties = String.join(", ", cause.unusedGroups().stream().map((g) -> "waterdrop.pollers." + g)
            .toList());
        String used = cause.usedGroups().isEmpty() ? "No producer names a Poller group."
                : "Poller groups named by producers: " + String.join(", ", cause.usedGroups()) + ".";
        String description = String.format("%s %s settings for a Poller group that no producer uses. A Poller group "
                + "exists when a producer names it in waterdrop.producers.<name>.polling.poller; "
                + "waterdrop.pollers.<group> only holds its settings.%n%n%s", properties,
                cause.unusedGroups().size() == 1 ? "holds" : "hold", used);
        String action = String.format("Correct the group name%s, name the group in a producer's polling.poller, or "
                + "remove %s.", suggestion(cause.unusedGroups(), cause.usedGroups()), properties);
        return new FailureAnalysis(description, action, cause);
    }

    /** " (did you mean 'critical'?)" when exactly one group is in use and one is unused. */
    private static String suggestion(List<String> unused, List<String> used) {
        return (unused.size() == 1 && used.size() == 1) ? " (did you mean '" + used.get(0) + "'?)" : "";
    }
}
