package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.ConfigurationException;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains any other rejected WaterDrop setting, e.g. a Poller group's poll-timeout or a producer the application
 * builds itself. Leaves producer settings to {@link InvalidProducerConfigurationFailureAnalyzer}, which knows more.
 */
class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        if (findCause(rootFailure, InvalidProducerConfigurationException.class) != null) {
            return null;
        }
        String description = String.format("A WaterDrop setting was rejected: %s", cause.getMessage());
        String action = String.format("Update the setting '%s'.", cause.key());
        return new FailureAnalysis(description, action, cause);
    }
}
