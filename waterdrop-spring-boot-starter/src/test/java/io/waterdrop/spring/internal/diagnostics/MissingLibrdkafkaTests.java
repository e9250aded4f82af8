package io.waterdrop.spring.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.LibraryUnavailableException;
import io.waterdrop.spring.autoconfigure.WaterDropAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * librdkafka loads once per JVM, so this runs in a JVM of its own (the {@code missing-librdkafka} Surefire
 * execution) whose {@code waterdrop.librdkafka.path} names a file that does not exist.
 */
@EnabledIfSystemProperty(named = "waterdrop.librdkafka.path", matches = ".*no-such-dir.*",
        disabledReason = "needs the missing-librdkafka Surefire execution's JVM")
class MissingLibrdkafkaTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenLibrdkafkaIsMissingShouldExplainHowToInstallIt() {
        this.runner.run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(LibraryUnavailableException.class);
            FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure());
            FailureAnalysis direct = new LibraryUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).isEqualTo(direct.getDescription())
                .startsWith("WaterDrop producers run on the native library librdkafka, which could not be used: ")
                .contains("no-such-dir/librdkafka.so.1")
                .contains("does not exist");
            assertThat(analysis.getAction()).startsWith("Install librdkafka 2.x on this machine")
                .contains("apt-get install librdkafka1")
                .contains("waterdrop.librdkafka.path")
                .contains("WATERDROP_LIBRDKAFKA_PATH");
        });
    }
}
