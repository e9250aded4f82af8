package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Configuration errors: WaterDrop's own settings fail in {@link ProducerConfig.Builder#build()}, librdkafka's when the
 * producer is built (or, for cross-property checks only librdkafka can make, when its client is created). Every error
 * names the setting, and no secret value ever appears.
 */
class ProducerConfigTest {

    private static final String SECRET = "hunter2-Secret-Value";

    // ------------------------------------------------------------------ WaterDrop settings

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid("polling.fd.max-time", "polling.fd.max-time must be at least 1ms but was 0ms",
                        b -> b.fdMaxTime(Duration.ZERO)),
                invalid("polling.fd.periodic-poll-interval",
                        "polling.fd.periodic-poll-interval must be at least 100ms but was 50ms",
                        b -> b.fdPeriodicPollInterval(Duration.ofMillis(50))),
                invalid("polling.thread.poll-timeout", "polling.thread.poll-timeout must be at least 1ms but was 0ms",
                        b -> b.threadPollTimeout(Duration.ZERO)),
                invalid("max-wait-timeout", "max-wait-timeout must be at least 1ms but was 0ms",
                        b -> b.maxWaitTimeout(Duration.ZERO)),
                invalid("queue-full-timeout", "queue-full-timeout must be at least 0ms but was -1ms",
                        b -> b.queueFullTimeout(Duration.ofMillis(-1))),
                invalid("close-timeout", "close-timeout must be set (at least 0ms)", b -> b.closeTimeout(null)),
                invalid("max-payload-size", "max-payload-size must be at least 1 byte but was 0",
                        b -> b.maxPayloadSize(0)),
                invalid("polling.mode", "polling.mode must be one of thread, fd", b -> b.pollingMode(null)),
                invalid("polling.poller", "polling.poller can only be set when polling.mode is fd (it is thread); "
                        + "remove the poller or switch the mode to fd",
                        b -> b.pollingMode(PollingMode.THREAD).poller(new Poller())),
                invalid("name", "name must be letters, digits, '.', '_' or '-' but was 'bad name!'",
                        b -> b.name("bad name!")),
                invalid("name", "name must be letters, digits, '.', '_' or '-' but was ''", b -> b.name("")),
                invalid("kafka.linger.ms", "kafka.linger.ms has no value; give it a string value or remove it",
                        b -> b.kafka("linger.ms", null)),
                invalid("kafka", "kafka settings contain an empty key", b -> b.kafka(" ", "x")));
    }

    private static Arguments invalid(String key, String message, UnaryOperator<ProducerConfig.Builder> setting) {
        return Arguments.of(key, message, setting);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidSettingFailsTheBuildNamingIt(String key, String message, UnaryOperator<ProducerConfig.Builder> setting) {
        assertThatThrownBy(() -> setting.apply(ProducerConfig.builder()).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void unknownPollingModeNameIsRejected() {
        assertThatThrownBy(() -> PollingMode.parse("epoll"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("polling.mode");
                    assertThat(e.getMessage()).isEqualTo("polling.mode must be one of thread, fd but was 'epoll'");
                });
        assertThat(PollingMode.parse(" Thread ")).isEqualTo(PollingMode.THREAD);
        assertThat(PollingMode.parse("FD")).isEqualTo(PollingMode.FD);
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        ProducerConfig config = ProducerConfig.builder().build();
        assertThat(config.pollingMode()).isEqualTo(PollingMode.FD);
        assertThat(config.poller()).isSameAs(Poller.global());
        assertThat(config.hasDedicatedPoller()).isFalse();
        assertThat(config.fdMaxTime()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.fdPeriodicPollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.threadPollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.queueFullTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxPayloadSize()).isEqualTo(1_000_000);
        assertThat(config.name()).matches("[0-9]+");
    }

    @Test
    void boundaryValuesAreAccepted() {
        ProducerConfig config = ProducerConfig.builder()
                .fdMaxTime(Duration.ofMillis(1))
                .fdPeriodicPollInterval(Duration.ofMillis(100))
                .queueFullTimeout(Duration.ZERO)
                .closeTimeout(Duration.ZERO)
                .maxPayloadSize(1)
                .name("a.b_c-1")
                .build();
        assertThat(config.fdMaxTime()).isEqualTo(Duration.ofMillis(1));
        assertThat(config.name()).isEqualTo("a.b_c-1");
    }

    @Test
    void configIsImmutableAndToBuilderCopiesIt() {
        Poller poller = new Poller();
        ProducerConfig config = ProducerConfig.builder().name("orig").poller(poller).kafka("linger.ms", "7").build();
        assertThatThrownBy(() -> config.kafka().put("acks", "all")).isInstanceOf(UnsupportedOperationException.class);

        ProducerConfig copy = config.toBuilder().kafka("acks", "all").build();
        assertThat(copy.name()).isEqualTo("orig");
        assertThat(copy.poller()).isSameAs(poller);
        assertThat(copy.kafka()).containsExactly(
                org.assertj.core.api.Assertions.entry("linger.ms", "7"),
                org.assertj.core.api.Assertions.entry("acks", "all"));
        assertThat(config.kafka()).doesNotContainKey("acks");
    }

    // ------------------------------------------------------------------ librdkafka properties

    @Test
    void unknownLibrdkafkaPropertyFailsTheProducerNamingTheKeyAndErrstr() {
        ProducerConfig config = ProducerConfig.builder().kafka("no.such.property", "42").build();
        assertThatThrownBy(() -> new Producer(config))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("kafka.no.such.property");
                    // An unknown key may be a misspelled secret, so its value is always masked.
                    assertThat(e.getMessage()).isEqualTo("librdkafka rejected kafka.no.such.property=******: "
                            + "No such configuration property: \"no.such.property\"");
                });
    }

    @Test
    void invalidLibrdkafkaValueFailsTheProducerNamingKeyValueAndErrstr() {
        assertThatThrownBy(() -> new Producer(ProducerConfig.builder().kafka("compression.codec", "zip").build()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("kafka.compression.codec");
                    assertThat(e.getMessage()).isEqualTo("librdkafka rejected kafka.compression.codec=zip: "
                            + "Invalid value \"zip\" for configuration property \"compression.codec\"");
                });
        assertThatThrownBy(() -> new Producer(ProducerConfig.builder().kafka("batch.num.messages", "0").build()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("kafka.batch.num.messages");
                    assertThat(e.getMessage()).isEqualTo("librdkafka rejected kafka.batch.num.messages=0: "
                            + "Configuration property \"batch.num.messages\" value 0 is outside allowed range "
                            + "1..1000000");
                });
    }

    @Test
    void rejectedSecretPropertyNeverShowsItsValue() {
        // librdkafka has no "app.password": rejected at conf_set, and the key looks like a secret.
        ProducerConfig config = ProducerConfig.builder().kafka("app.password", SECRET).build();
        assertThat(config.toString()).doesNotContain(SECRET).contains("app.password=******");
        assertThatThrownBy(() -> new Producer(config))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("kafka.app.password");
                    assertThat(e.getMessage()).isEqualTo("librdkafka rejected kafka.app.password=******: "
                            + "No such configuration property: \"app.password\"");
                });
    }

    @Test
    void saslPasswordWithAnUnsupportedMechanismFailsOnConnectWithoutShowingThePassword() {
        ProducerConfig config = ProducerConfig.builder().name("sasl-bad")
                .bootstrapServers("127.0.0.1:" + CoreFixtures.closedPort())
                .kafka("security.protocol", "sasl_plaintext")
                .kafka("sasl.mechanisms", "NOPE")
                .kafka("sasl.username", "user")
                .kafka("sasl.password", SECRET)
                .build();
        assertThat(config.toString()).doesNotContain(SECRET).contains("sasl.password=******", "sasl.username=user");
        // Each property is valid on its own; only librdkafka's client creation checks them together.
        Producer producer = new Producer(config);
        assertThatThrownBy(producer::connect)
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("kafka");
                    assertThat(e.getMessage()).isEqualTo(
                            "librdkafka could not create producer 'sasl-bad': Unsupported SASL mechanism: NOPE");
                });
        assertThat(producer.state()).isEqualTo(ProducerState.INITIAL);
        assertThat(producer.close(Duration.ofSeconds(5))).isZero();
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    @Test
    void clientCreationErrorNeverQuotesASecretValue() {
        // librdkafka's errstr quotes the keystore path: "Failed to open ssl.keystore.location: <path>: ...".
        String secretPath = "/nonexistent/" + SECRET + ".p12";
        ProducerConfig config = ProducerConfig.builder()
                .bootstrapServers("127.0.0.1:" + CoreFixtures.closedPort())
                .kafka("security.protocol", "ssl")
                .kafka("ssl.keystore.location", secretPath)
                .kafka("ssl.keystore.password", SECRET)
                .build();
        Producer producer = new Producer(config);
        try {
            assertThatThrownBy(producer::connect)
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                            .contains("Failed to open ssl.keystore.location: ******")
                            .doesNotContain(SECRET));
        } finally {
            producer.close();
        }
    }

    @Test
    void crossPropertyRuleOfLibrdkafkaFailsOnConnect() {
        Producer producer = new Producer(ProducerConfig.builder().name("tx-no-idempotence")
                .kafka("transactional.id", "tx").kafka("enable.idempotence", "false").build());
        try {
            assertThatThrownBy(producer::connect).isInstanceOfSatisfying(ConfigurationException.class,
                    e -> assertThat(e.getMessage()).isEqualTo("librdkafka could not create producer "
                            + "'tx-no-idempotence': `transactional.id` requires `enable.idempotence=true`"));
        } finally {
            producer.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sasl.password", "ssl.key.password", "ssl.key.pem", "ssl.keystore.password",
        "sasl.oauthbearer.client.secret", "sasl.oauthbearer.config", "SASL.PASSWORD"})
    void toStringMasksSecretProperties(String key) {
        ProducerConfig config = ProducerConfig.builder().name("masked").kafka(key, SECRET)
                .kafka("linger.ms", "5").build();
        assertThat(Secrets.isSecret(key)).isTrue();
        assertThat(config.toString())
                .doesNotContain(SECRET)
                .contains(key + "=" + Secrets.MASK, "linger.ms=5", "name=masked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bootstrap.servers", "linger.ms", "sasl.username", "security.protocol", "acks"})
    void ordinaryPropertiesAreNotSecrets(String key) {
        assertThat(Secrets.isSecret(key)).isFalse();
        assertThat(Secrets.displayValue(key, "v")).isEqualTo("v");
    }
}
