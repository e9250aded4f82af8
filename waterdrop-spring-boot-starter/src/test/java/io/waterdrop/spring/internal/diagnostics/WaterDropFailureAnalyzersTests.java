package io.waterdrop.spring.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Poller;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.MissingSaslSettingsException;
import io.waterdrop.spring.MultiplePrimaryProducersException;
import io.waterdrop.spring.PollerRequiresFdModeException;
import io.waterdrop.spring.UnknownPollerGroupException;
import io.waterdrop.spring.UnusedPollerSettingsException;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import io.waterdrop.spring.autoconfigure.WaterDropAutoConfiguration;
import io.waterdrop.spring.autoconfigure.WaterDropVariantsAutoConfiguration;
import io.waterdrop.spring.test.TestConnectionDetails;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every startup failure of the starter, analyzed as Spring Boot analyzes a failed start (all registered analyzers,
 * first answer wins), and checked to come from the intended analyzer.
 */
class WaterDropFailureAnalyzersTests {

    private static final KafkaConnectionDetails SASL_DETAILS = TestConnectionDetails.of("secure:9094", "SASL_SSL",
            null);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenPollerSettingsNameGroupNoProducerUsesShouldNameThePropertyAndTheGroupsInUse() {
        this.runner.withPropertyValues("waterdrop.pollers.critcal.poll-timeout=1s",
                "waterdrop.producers.orders.polling.poller=critical")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new UnusedPollerSettingsFailureAnalyzer(),
                        UnusedPollerSettingsException.class);
                assertThat(analysis.getDescription()).isEqualTo("waterdrop.pollers.critcal holds settings for a "
                        + "Poller group that no producer uses. A Poller group exists when a producer names it in "
                        + "waterdrop.producers.<name>.polling.poller; waterdrop.pollers.<group> only holds its "
                        + "settings.%n%nPoller groups named by producers: critical.".formatted());
                assertThat(analysis.getAction()).isEqualTo("Correct the group name (did you mean 'critical'?), name "
                        + "the group in a producer's polling.poller, or remove waterdrop.pollers.critcal.");
            });
    }

    @Test
    void whenPollerSettingsExistAndNoProducerNamesAnyGroupShouldSaySo() {
        this.runner.withPropertyValues("waterdrop.pollers.critical.poll-timeout=1s",
                "waterdrop.pollers.bulk.poll-timeout=2s")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new UnusedPollerSettingsFailureAnalyzer(),
                        UnusedPollerSettingsException.class);
                assertThat(analysis.getDescription())
                    .startsWith("waterdrop.pollers.critical, waterdrop.pollers.bulk hold settings")
                    .endsWith("No producer names a Poller group.");
                assertThat(analysis.getAction()).endsWith("remove waterdrop.pollers.critical, waterdrop.pollers.bulk.");
            });
    }

    @Test
    void whenProducerNamesGroupMissingFromOwnWaterDropPollersShouldNameProducerGroupAndDefinedGroups() {
        this.runner.withUserConfiguration(OwnPollersConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.polling.poller=critcal")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new UnknownPollerGroupFailureAnalyzer(),
                        UnknownPollerGroupException.class);
                assertThat(analysis.getDescription()).contains("Producer 'orders'")
                    .contains("Poller group 'critcal'")
                    .contains("waterdrop.producers.orders.polling.poller")
                    .contains("The WaterDropPollers bean defines: critical.");
                assertThat(analysis.getAction()).contains("Add group 'critcal' to your WaterDropPollers bean")
                    .contains("set waterdrop.producers.orders.polling.poller to one of its groups");
            });
    }

    @Test
    void whenConnectionDetailsAskForSaslWithoutSaslSettingsShouldFailAtStartup() {
        this.runner.withBean(KafkaConnectionDetails.class, () -> SASL_DETAILS)
            .withPropertyValues("waterdrop.producers.orders.kafka.acks=all")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new MissingSaslSettingsFailureAnalyzer(),
                        MissingSaslSettingsException.class);
                assertThat(analysis.getDescription()).isEqualTo("WaterDrop producer 'orders' connects with "
                        + "security.protocol=sasl_ssl, taken from Spring Boot's KafkaConnectionDetails bean, but no "
                        + "librdkafka sasl.* setting is configured for it (in waterdrop.kafka or "
                        + "waterdrop.producers.orders.kafka). librdkafka would fall back to its default "
                        + "sasl.mechanism GSSAPI (Kerberos) and fail with an error about Kerberos settings, or only "
                        + "when it connects.");
                assertThat(analysis.getAction()).startsWith("Add librdkafka's SASL settings under waterdrop.kafka "
                        + "(or waterdrop.producers.orders.kafka): sasl.mechanism")
                    .contains("for Kerberos set sasl.mechanism: GSSAPI explicitly");
            });
    }

    @Test
    void whenSpringKafkaSecurityProtocolIsSaslWithoutSaslSettingsShouldFailAtStartup() {
        this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.kafka"))
            .withPropertyValues("spring.kafka.bootstrap-servers=secure:9094",
                    "spring.kafka.security.protocol=SASL_PLAINTEXT")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new MissingSaslSettingsFailureAnalyzer(),
                        MissingSaslSettingsException.class);
                assertThat(analysis.getDescription()).contains("WaterDrop producer 'default' connects with "
                        + "security.protocol=sasl_plaintext, taken from spring.kafka.bootstrap-servers,");
            });
    }

    @Test
    void whenProducerWithPollerUsesThreadModeShouldExplainTheConflict() {
        this.runner.withPropertyValues("waterdrop.pollers.critical.poll-timeout=1s",
                "waterdrop.producers.orders.polling.poller=critical", "waterdrop.producers.orders.polling.mode=thread")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new PollerRequiresFdModeFailureAnalyzer(),
                        PollerRequiresFdModeException.class);
                assertThat(analysis.getDescription()).contains("Producer 'orders'")
                    .contains("waterdrop.producers.orders.polling.poller=critical")
                    .contains("waterdrop.producers.orders.polling.mode is thread")
                    .contains("A Poller only serves producers in fd mode");
                assertThat(analysis.getAction()).contains("Set waterdrop.producers.orders.polling.mode to fd")
                    .contains("remove waterdrop.producers.orders.polling.poller");
            });
    }

    @Test
    void whenTwoProducersArePrimaryShouldNameThem() {
        this.runner.withPropertyValues("waterdrop.producers.orders.primary=true",
                "waterdrop.producers.audit.primary=true", "waterdrop.producers.metrics.primary=false")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new MultiplePrimaryProducersFailureAnalyzer(),
                        MultiplePrimaryProducersException.class);
                assertThat(analysis.getDescription()).startsWith("Producers orders, audit all set primary: true")
                    .doesNotContain("metrics");
                assertThat(analysis.getAction()).contains("Keep primary: true on one producer only")
                    .contains("@Qualifier(\"<name>\")");
            });
    }

    @Test
    void whenDurationIsInvalidShouldNamePropertyAndValue() {
        this.runner.withPropertyValues("waterdrop.producers.orders.polling.fd.max-time=fast").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class);
            assertThat(findCause(context.getStartupFailure(), BindException.class)).isNotNull();
            // Spring Boot's own BindFailureAnalyzer answers: property, value, target type and why.
            FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                .contains("Failed to bind properties under 'waterdrop.producers.orders.polling.fd.max-time' to "
                        + "java.time.Duration")
                .contains("Value: \"fast\"")
                .contains("'fast' is not a valid duration");
            assertThat(analysis.getAction()).contains("Update your application's configuration");
        });
    }

    @Test
    void whenDurationIsBelowMinimumShouldNameProducerAndProperty() {
        this.runner.withPropertyValues("waterdrop.producers.orders.polling.fd.max-time=0ms").run((context) -> {
            FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                    InvalidProducerConfigurationException.class);
            assertThat(analysis.getDescription()).contains("WaterDrop producer 'orders' could not be created")
                .contains("polling.fd.max-time must be at least 1ms but was 0ms")
                .contains("The setting comes from waterdrop.producers.orders.polling.fd.max-time.");
            assertThat(analysis.getAction()).isEqualTo("Update waterdrop.producers.orders.polling.fd.max-time.");
        });
    }

    @Test
    void whenAVariantKeyIsUnknownShouldNameItsPropertyAndWhatAVariantTakes() {
        this.runner.withConfiguration(AutoConfigurations.of(WaterDropVariantsAutoConfiguration.class))
            .withPropertyValues("waterdrop.producers.orders.variants.fast.kafka.akcs=0")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                        InvalidProducerConfigurationException.class);
                assertThat(analysis.getDescription()).contains("WaterDrop producer 'orders' could not be created")
                    .contains("kafka.akcs cannot be set on a variant of producer 'orders': it is not a librdkafka "
                            + "setting (a typo?)")
                    .contains("The setting comes from waterdrop.producers.orders.variants.fast.kafka.akcs.");
                assertThat(analysis.getAction()).startsWith("Fix or remove waterdrop.producers.orders.variants.fast"
                        + ".kafka.akcs. A variant takes topic-level librdkafka settings only");
            });
    }

    @Test
    void whenPollingModeIsUnknownShouldListValidModes() {
        this.runner.withPropertyValues("waterdrop.producers.orders.polling.mode=poll").run((context) -> {
            FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                .contains("Failed to bind properties under 'waterdrop.producers.orders.polling.mode' to "
                        + "io.waterdrop.PollingMode")
                .contains("Value: \"poll\"");
            assertThat(analysis.getAction()).contains("The following values are valid:").contains("fd").contains("thread");
        });
    }

    @Test
    void whenLibrdkafkaKeyIsUnknownShouldNameProducerAndProperty() {
        this.runner.withPropertyValues("waterdrop.producers.orders.kafka.buffer.memory=33554432").run((context) -> {
            FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                    InvalidProducerConfigurationException.class);
            assertThat(analysis.getDescription()).contains("WaterDrop producer 'orders' could not be created")
                .contains("librdkafka rejected kafka.buffer.memory=******")
                .contains("No such configuration property: \"buffer.memory\"")
                .contains("The setting comes from waterdrop.producers.orders.kafka.buffer.memory.");
            assertThat(analysis.getAction()).startsWith("Fix or remove waterdrop.producers.orders.kafka.buffer.memory.")
                .contains(InvalidProducerConfigurationFailureAnalyzer.LIBRDKAFKA_SETTINGS);
            InvalidProducerConfigurationException cause = findCause(context.getStartupFailure(),
                    InvalidProducerConfigurationException.class);
            assertThat(cause.key()).isEqualTo("kafka.buffer.memory");
            assertThat(cause.producer()).isEqualTo("orders");
        });
    }

    @Test
    void whenSharedLibrdkafkaKeyIsUnknownShouldNameSharedProperty() {
        this.runner.withPropertyValues("waterdrop.kafka.key.serializer=StringSerializer").run((context) -> {
            FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                    InvalidProducerConfigurationException.class);
            assertThat(analysis.getDescription()).contains("WaterDrop producer 'default' could not be created")
                .contains("The setting comes from waterdrop.kafka.key.serializer.");
        });
    }

    @Test
    void whenLibrdkafkaValueIsInvalidShouldShowValueAndReason() {
        this.runner.withPropertyValues("waterdrop.producers.orders.kafka.compression.type=brotli").run((context) -> {
            FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                    InvalidProducerConfigurationException.class);
            assertThat(analysis.getDescription()).contains("librdkafka rejected kafka.compression.type=brotli")
                .contains("Invalid value \"brotli\"");
        });
    }

    @Test
    void whenRejectedSettingIsSecretShouldNeverShowItsValue() {
        this.runner.withPropertyValues("waterdrop.producers.orders.kafka.sasl.pasword=hunter2",
                "waterdrop.producers.orders.kafka.my.password=hunter2")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                        InvalidProducerConfigurationException.class);
                // Whichever librdkafka rejects first: the misspelled key or the one Secrets recognises.
                assertThat(analysis.getDescription()).containsPattern("kafka\\.(sasl\\.pasword|my\\.password)=\\*{6}")
                    .doesNotContain("hunter2");
                assertThat(analysis.getAction()).doesNotContain("hunter2");
                assertThat(stackTrace(context.getStartupFailure())).doesNotContain("hunter2");
            });
    }

    @Test
    void whenLibrdkafkaRejectsCombinationAtStartShouldNameProducer() {
        this.runner.withPropertyValues("waterdrop.producers.orders.kafka.enable.idempotence=true",
                "waterdrop.producers.orders.kafka.acks=1")
            .run((context) -> {
                FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                        InvalidProducerConfigurationException.class);
                assertThat(analysis.getDescription()).contains("librdkafka could not create producer 'orders'")
                    .contains("acks")
                    .contains("waterdrop.producers.orders.kafka");
                assertThat(analysis.getAction()).contains("Fix the combination of librdkafka settings");
            });
    }

    @Test
    void whenCustomizerBreaksSettingShouldSaySo() {
        this.runner.withUserConfiguration(BrokenCustomizerConfiguration.class).run((context) -> {
            FailureAnalysis analysis = analyzedBy(context, new InvalidProducerConfigurationFailureAnalyzer(),
                    InvalidProducerConfigurationException.class);
            assertThat(analysis.getDescription()).contains("librdkafka rejected kafka.linger.ms=soon")
                .contains("The setting comes from a WaterDropProducerCustomizer.");
        });
    }

    @Test
    void whenPollerGroupPollTimeoutIsTooShortShouldNameProperty() {
        this.runner.withPropertyValues("waterdrop.pollers.critical.poll-timeout=0ms",
                "waterdrop.producers.default.polling.poller=critical").run((context) -> {
            FailureAnalysis analysis = analyzedBy(context, new ConfigurationFailureAnalyzer(),
                    io.waterdrop.ConfigurationException.class);
            assertThat(analysis.getDescription()).isEqualTo("A WaterDrop setting was rejected: "
                    + "waterdrop.pollers.critical.poll-timeout must be at least 1ms but was 0ms");
            assertThat(analysis.getAction()).isEqualTo("Update the setting 'waterdrop.pollers.critical.poll-timeout'.");
        });
    }

    /**
     * The analysis Spring Boot would print, asserted to be the one of {@code expected} (so no other analyzer,
     * Boot's included, answered first).
     */
    private static FailureAnalysis analyzedBy(AssertableApplicationContext context, FailureAnalyzer expected,
            Class<? extends Throwable> failureType) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        assertThat(findCause(failure, failureType)).as("cause of type %s", failureType.getSimpleName()).isNotNull();
        FailureAnalysis analysis = StartupFailureAnalysis.analyze(failure);
        FailureAnalysis direct = expected.analyze(failure);
        assertThat(direct).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo(direct.getDescription());
        assertThat(analysis.getAction()).isEqualTo(direct.getAction());
        return analysis;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
        }
        return null;
    }

    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPollersConfiguration {

        @Bean
        WaterDropPollers ownPollers() {
            return new WaterDropPollers(Map.of("critical", new Poller()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenCustomizerConfiguration {

        @Bean
        WaterDropProducerCustomizer lingerSoon() {
            return (name, builder) -> builder.kafka("linger.ms", "soon");
        }
    }
}
