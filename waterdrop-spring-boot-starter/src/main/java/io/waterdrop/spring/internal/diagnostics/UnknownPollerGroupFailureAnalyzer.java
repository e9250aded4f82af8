package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.UnknownPollerGroupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a producer that names a Poller group that is not defined. */
class UnknownPollerGroupFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPollerGroupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownPollerGroupException cause) {
        String property = "waterdrop.producers." + cause.producer() + ".polling.poller";
        String defined = cause.definedGroups().isEmpty() ? "No Poller groups are defined (waterdrop.pollers is empty)."
                : "The defined Poller groups are: " + String.join(", ", cause.definedGroups()) + ".";
        String description = String.format("Producer '%s' is configured to use Poller group '%s' (%s), but no such "
                + "group is defined.%n%n%s", cause.producer(), cause.group(), property, defined);
        String action = String.format("Define the group under waterdrop.pollers (for example 'waterdrop.pollers.%s: "
                + "{}'), set %s to one of the defined groups, or remove %s to use the global Poller.", cause.group(),
                property, property);
        return new FailureAnalysis(description, action, cause);
    }
}
