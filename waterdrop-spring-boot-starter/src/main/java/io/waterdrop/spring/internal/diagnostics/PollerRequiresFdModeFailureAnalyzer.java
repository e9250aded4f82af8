package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.PollerRequiresFdModeException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a producer that names a Poller group while polling in thread mode. */
class PollerRequiresFdModeFailureAnalyzer extends AbstractFailureAnalyzer<PollerRequiresFdModeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PollerRequiresFdModeException cause) {
        String prefix = "waterdrop.producers." + cause.producer() + ".polling.";
        String description = String.format("Producer '%s' sets %spoller=%s, but its %smode is thread. A Poller only "
                + "serves producers in fd mode; in thread mode a producer polls on a thread of its own.",
                cause.producer(), prefix, cause.group(), prefix);
        String action = String.format("Set %smode to fd (the default) to use Poller group '%s', or remove %spoller "
                + "to keep thread mode.", prefix, cause.group(), prefix);
        return new FailureAnalysis(description, action, cause);
    }
}
