package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Poller;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.spring.WaterDropProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/** How {@code waterdrop.*} binds, the issue's YAML above all, and which defaults apply. */
class WaterDropPropertiesBindingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenIssueYamlLoadedShouldBindEveryValue() {
        this.runner.withInitializer(IssueYaml.issue4()).run((context) -> {
            WaterDropProperties properties = context.getBean(WaterDropProperties.class);
            assertThat(properties.getKafka()).containsExactly(entry("bootstrap.servers", "localhost:9092"));
            assertThat(properties.getPollers()).containsOnlyKeys("critical");
            assertThat(properties.getPollers().get("critical").getPollTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(properties.getProducers()).containsOnlyKeys("orders", "audit");
            WaterDropProperties.Producer orders = properties.getProducers().get("orders");
            assertThat(orders.getKafka()).containsOnly(entry("acks", "all"), entry("enable.idempotence", "true"));
            assertThat(orders.getPolling().getMode()).isEqualTo(PollingMode.FD);
            assertThat(orders.getPolling().getPoller()).isEqualTo("critical");
            assertThat(orders.getPolling().getFd().getMaxTime()).isEqualTo(Duration.ofMillis(200));
            assertThat(orders.getPolling().getFd().getPeriodicPollInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(orders.getPolling().getThread().getPollTimeout()).isEqualTo(Duration.ofMillis(100));
            WaterDropProperties.Producer audit = properties.getProducers().get("audit");
            assertThat(audit.getKafka()).isEmpty();
            assertThat(audit.getPolling().getFd().getMaxTime()).isEqualTo(Duration.ofMillis(20));
        });
    }

    @Test
    void whenIssueYamlLoadedShouldCreateItsProducersOnItsPollers() {
        this.runner.withInitializer(IssueYaml.issue4()).run((context) -> {
            assertThat(context).hasNotFailed();
            Producer orders = context.getBean("waterdrop.producers.orders", Producer.class);
            Producer audit = context.getBean("waterdrop.producers.audit", Producer.class);
            assertThat(orders.config().kafka()).containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true");
            assertThat(audit.config().kafka()).containsEntry("bootstrap.servers", "localhost:9092")
                .doesNotContainKeys("acks", "enable.idempotence");
            Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
            assertThat(orders.config().poller()).isSameAs(critical);
            assertThat(critical.stats().pollTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(orders.config().fdMaxTime()).isEqualTo(Duration.ofMillis(200));
            assertThat(audit.config().poller()).isSameAs(Poller.global());
            assertThat(audit.config().fdMaxTime()).isEqualTo(Duration.ofMillis(20));
        });
    }

    @Test
    void whenYamlNamesPollerGroupWithEmptySettingsShouldCreateTheGroup() {
        // "critical: {}" flattens to no property at all: harmless, the producer naming the group creates it.
        this.runner.withInitializer(IssueYaml.of("poller-group-empty-settings.yml")).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Producer.class).config().poller())
                .isSameAs(context.getBean("waterdrop.pollers.critical"));
        });
    }

    @Test
    void whenDottedKafkaKeysGivenAsPropertiesShouldBindAsIs() {
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=a:1,b:2",
                "waterdrop.kafka.queue.buffering.max.kbytes=2048",
                "waterdrop.producers.default.kafka.sasl.mechanism=PLAIN",
                "waterdrop.producers.default.kafka[compression.type]=zstd")
            .run((context) -> {
                ProducerConfig config = context.getBean(Producer.class).config();
                assertThat(config.kafka()).containsEntry("bootstrap.servers", "a:1,b:2")
                    .containsEntry("queue.buffering.max.kbytes", "2048")
                    .containsEntry("sasl.mechanism", "PLAIN")
                    .containsEntry("compression.type", "zstd");
            });
    }

    @Test
    void whenProducerKafkaSettingRepeatsGlobalOneShouldOverrideIt() {
        this.runner.withPropertyValues("waterdrop.kafka.linger.ms=50", "waterdrop.kafka.acks=1",
                "waterdrop.producers.default.kafka.linger.ms=5")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("linger.ms", "5")
                .containsEntry("acks", "1"));
    }

    @Test
    void whenNothingConfiguredShouldUseCoreDefaults() {
        this.runner.run((context) -> {
            ProducerConfig config = context.getBean(Producer.class).config();
            assertThat(config.pollingMode()).isEqualTo(PollingMode.FD);
            assertThat(config.fdMaxTime()).isEqualTo(ProducerConfig.DEFAULT_FD_MAX_TIME);
            assertThat(config.fdPeriodicPollInterval()).isEqualTo(ProducerConfig.DEFAULT_FD_PERIODIC_POLL_INTERVAL);
            assertThat(config.threadPollTimeout()).isEqualTo(ProducerConfig.DEFAULT_THREAD_POLL_TIMEOUT);
            assertThat(config.maxWaitTimeout()).isEqualTo(ProducerConfig.DEFAULT_MAX_WAIT_TIMEOUT);
            assertThat(config.queueFullTimeout()).isEqualTo(ProducerConfig.DEFAULT_QUEUE_FULL_TIMEOUT);
            assertThat(config.closeTimeout()).isEqualTo(ProducerConfig.DEFAULT_CLOSE_TIMEOUT);
            assertThat(config.maxPayloadSize()).isEqualTo(ProducerConfig.DEFAULT_MAX_PAYLOAD_SIZE);
            assertThat(config.transactionAttemptTimeout())
                .isEqualTo(ProducerConfig.DEFAULT_TRANSACTION_ATTEMPT_TIMEOUT);
            assertThat(config.reloadOnTransactionFatalError()).isFalse();
            assertThat(config.reloadOnIdempotentFatalError()).isFalse();
            assertThat(config.maxFatalErrorReloads()).isEqualTo(ProducerConfig.DEFAULT_MAX_FATAL_ERROR_RELOADS);
            assertThat(config.fatalErrorReloadBackoff()).isEqualTo(ProducerConfig.DEFAULT_FATAL_ERROR_RELOAD_BACKOFF);
            assertThat(new WaterDropProperties.Poller().getPollTimeout()).isEqualTo(Poller.DEFAULT_POLL_TIMEOUT);
        });
    }

    @Test
    void whenProducerSettingsGivenShouldReachProducerConfig() {
        this.runner.withPropertyValues("waterdrop.producers.default.max-wait-timeout=5s",
                "waterdrop.producers.default.queue-full-timeout=250ms", "waterdrop.producers.default.close-timeout=2m",
                "waterdrop.producers.default.max-payload-size=2MB",
                "waterdrop.producers.default.polling.fd.periodic-poll-interval=500ms")
            .run((context) -> {
                ProducerConfig config = context.getBean(Producer.class).config();
                assertThat(config.maxWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(config.queueFullTimeout()).isEqualTo(Duration.ofMillis(250));
                assertThat(config.closeTimeout()).isEqualTo(Duration.ofMinutes(2));
                assertThat(config.maxPayloadSize()).isEqualTo((int) DataSize.ofMegabytes(2).toBytes());
                assertThat(config.fdPeriodicPollInterval()).isEqualTo(Duration.ofMillis(500));
            });
    }

    @Test
    void whenTopicsGivenShouldReachProducerConfig() {
        // Nothing listens on the bootstrap address: connect's metadata fetch gives up after max-wait-timeout.
        this.runner.withPropertyValues("waterdrop.producers.default.topics=orders,payments",
                "waterdrop.producers.default.max-wait-timeout=200ms")
            .run((context) -> assertThat(context.getBean(Producer.class).config().topics())
                .containsExactly("orders", "payments"));
    }

    @Test
    void whenTopicNameIsInvalidShouldNameTheProperty() {
        this.runner.withPropertyValues("waterdrop.producers.default.topics[0]=not valid")
            .run((context) -> assertThat(context).getFailure()
                .hasStackTraceContaining("waterdrop.producers.default.topics[0]")
                .rootCause()
                .hasMessageContaining("'not valid' is not a valid Kafka topic name"));
    }

    @Test
    void whenFatalErrorReloadSettingsGivenShouldReachProducerConfig() {
        this.runner.withPropertyValues("waterdrop.producers.default.transaction-attempt-timeout=3s",
                "waterdrop.producers.default.reload-on-transaction-fatal-error=true",
                "waterdrop.producers.default.reload-on-idempotent-fatal-error=true",
                "waterdrop.producers.default.max-fatal-error-reloads=5",
                "waterdrop.producers.default.fatal-error-reload-backoff=200ms")
            .run((context) -> {
                ProducerConfig config = context.getBean(Producer.class).config();
                assertThat(config.transactionAttemptTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(config.reloadOnTransactionFatalError()).isTrue();
                assertThat(config.reloadOnIdempotentFatalError()).isTrue();
                assertThat(config.maxFatalErrorReloads()).isEqualTo(5);
                assertThat(config.fatalErrorReloadBackoff()).isEqualTo(Duration.ofMillis(200));
            });
    }

    @Test
    void whenDurationIsPlainNumberShouldReadMilliseconds() {
        this.runner.withPropertyValues("waterdrop.producers.default.polling.fd.max-time=150",
                "waterdrop.producers.default.max-payload-size=4096")
            .run((context) -> {
                ProducerConfig config = context.getBean(Producer.class).config();
                assertThat(config.fdMaxTime()).isEqualTo(Duration.ofMillis(150));
                assertThat(config.maxPayloadSize()).isEqualTo(4096);
            });
    }

    @Test
    void whenSettingIsEmptyShouldKeepDefault() {
        this.runner.withPropertyValues("waterdrop.producers.default.close-timeout=",
                "waterdrop.producers.default.polling.mode=", "waterdrop.producers.default.polling.fd.max-time=",
                "waterdrop.producers.default.max-payload-size=")
            .run((context) -> {
                ProducerConfig config = context.getBean(Producer.class).config();
                assertThat(config.closeTimeout()).isEqualTo(ProducerConfig.DEFAULT_CLOSE_TIMEOUT);
                assertThat(config.pollingMode()).isEqualTo(PollingMode.FD);
                assertThat(config.fdMaxTime()).isEqualTo(ProducerConfig.DEFAULT_FD_MAX_TIME);
                assertThat(config.maxPayloadSize()).isEqualTo(ProducerConfig.DEFAULT_MAX_PAYLOAD_SIZE);
            });
    }

    @Test
    void whenPollingModeWrittenInAnyCaseShouldBind() {
        this.runner.withPropertyValues("waterdrop.producers.default.polling.mode=THREAD")
            .run((context) -> assertThat(context.getBean(Producer.class).config().pollingMode())
                .isEqualTo(PollingMode.THREAD));
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
