package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.LibraryUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a missing, unloadable or too old librdkafka. */
class LibraryUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<LibraryUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LibraryUnavailableException cause) {
        StringBuilder description = new StringBuilder("WaterDrop producers run on the native library librdkafka, "
                + "which could not be used: ").append(cause.getMessage());
        if (cause.getCause() != null) {
            description.append(String.format("%n%nLoader error: %s", cause.getCause().getMessage()));
        }
        String action = "Install librdkafka 2.x on this machine (Debian/Ubuntu: 'apt-get install librdkafka1', "
                + "Fedora: 'dnf install librdkafka', macOS: 'brew install librdkafka'), or point the system property "
                + "waterdrop.librdkafka.path or the environment variable WATERDROP_LIBRDKAFKA_PATH at the "
                + "librdkafka shared library file.";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}
