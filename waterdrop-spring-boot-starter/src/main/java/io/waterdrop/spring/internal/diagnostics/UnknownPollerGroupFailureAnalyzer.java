package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.UnknownPollerGroupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a producer that names a Poller group missing from the application's own {@code WaterDropPollers} bean
 * (the auto-configured one creates every group a producer names).
 */
class UnknownPollerGroupFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPollerGroupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownPollerGroupException cause) {
        String property = "waterdrop.producers." + cause.producer() + ".polling.poller";
        String defined = cause.definedGroups().isEmpty() ? "The WaterDropPollers bean defines no Poller groups."
                : "The WaterDropPollers bean defines: " + String.join(", ", cause.definedGroups()) + ".";
        String description = String.format("Producer '%s' is configured to use Poller group '%s' (%s), but the "
                + "application's WaterDropPollers bean has no such group.%n%n%s", cause.producer(), cause.group(),
                property, defined);
        String action = String.format("Add group '%s' to your WaterDropPollers bean, set %s to one of its groups, or "
                + "remove %s to use the global Poller.", cause.group(), property, property);
        return new FailureAnalysis(description, action, cause);
    }
}
