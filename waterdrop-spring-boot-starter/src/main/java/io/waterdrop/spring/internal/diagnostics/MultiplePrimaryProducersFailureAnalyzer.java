package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.MultiplePrimaryProducersException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains several producers marked {@code primary: true}. */
class MultiplePrimaryProducersFailureAnalyzer extends AbstractFailureAnalyzer<MultiplePrimaryProducersException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MultiplePrimaryProducersException cause) {
        String description = String.format("Producers %s all set primary: true (waterdrop.producers.<name>.primary), "
                + "but only one producer can be the primary Producer bean.", String.join(", ", cause.producers()));
        String action = "Keep primary: true on one producer only, and inject the others with @Qualifier(\"<name>\").";
        return new FailureAnalysis(description, action, cause);
    }
}
