package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.InvalidProducerConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a producer setting that WaterDrop or librdkafka rejected: which producer, which setting, where it came
 * from. The message of the cause already masks secret values.
 */
class InvalidProducerConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidProducerConfigurationException> {

    static final String LIBRDKAFKA_SETTINGS = "https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidProducerConfigurationException cause) {
        String description = String.format("WaterDrop producer '%s' could not be created: %s%n%nThe setting comes "
                + "from %s.", cause.producer(), cause.getCause().getMessage(), cause.source());
        String action;
        if (cause.key().startsWith("kafka.") && cause.source().contains(".variants.")) {
            action = String.format("Fix or remove %s. A variant takes topic-level librdkafka settings only (see %s, "
                    + "scope P or *); client-level ones go to waterdrop.producers.%s.kafka, for every variant.",
                    cause.source(), LIBRDKAFKA_SETTINGS, cause.producer());
        }
        else if (cause.key().startsWith("kafka.")) {
            action = String.format("Fix or remove %s. The kafka settings are librdkafka's, passed as-is (see %s); "
                    + "Java client settings such as buffer.memory or key.serializer do not exist in librdkafka.",
                    cause.source(), LIBRDKAFKA_SETTINGS);
        }
        else if (cause.key().equals("kafka")) {
            action = String.format("Fix the combination of librdkafka settings named above (see %s).",
                    LIBRDKAFKA_SETTINGS);
        }
        else {
            action = String.format("Update %s.", cause.source());
        }
        return new FailureAnalysis(description, action, cause);
    }
}
