package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import io.waterdrop.test.BrokerProcess;
import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Brokers that require authentication or encryption (one broker process with a {@code SASL_PLAINTEXT} listener with
 * PLAIN users and an {@code SSL} listener with a certificate made at test time): the right credentials and CA
 * deliver; a wrong password or CA fails clearly (an {@code error.occurred} event naming the cause, every handle
 * failed, nothing retried silently forever), and the password shows in no log line, exception or toString().
 */
class BrokerSecurityTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "alice-Pa55-" + Long.toHexString(System.nanoTime());
    private static final String WRONG_PASSWORD = "wrong-Pa55-" + Long.toHexString(System.nanoTime());
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static BrokerProcess broker;
    private static TestCertificates brokerCertificate;
    private static TestCertificates otherCa;

    @BeforeAll
    static void startBroker() {
        Path certificates = TestCertificates.newDirectory();
        brokerCertificate = TestCertificates.selfSigned(certificates, "localhost");
        otherCa = TestCertificates.selfSigned(certificates, "another-ca");
        broker = BrokerProcess.builder()
                .listener("SASL_PLAINTEXT")
                .property("sasl.enabled.mechanisms", "PLAIN")
                .property("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\""
                                + PASSWORD + "\";")
                .listener("SSL")
                .property("listener.name.ssl.ssl.keystore.location", brokerCertificate.keystore().toString())
                .property("listener.name.ssl.ssl.keystore.password", brokerCertificate.password())
                .property("listener.name.ssl.ssl.key.password", brokerCertificate.password())
                .property("listener.name.ssl.ssl.keystore.type", "PKCS12")
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void saslPlainWithTheRightPasswordDeliversAndNeverShowsIt() {
        String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "sasl", 1);
        try (CapturedLogs logs = CapturedLogs.start(); Producer producer = Producer.create(sasl(PASSWORD).build())) {
            DeliveryReport report = producer.produceSync(Message.of(topic, "authenticated"));
            assertThat(report.isDelivered()).isTrue();
            assertThat(List.of(producer.toString(), producer.config().toString(), logs.text()))
                    .noneMatch(text -> text.contains(PASSWORD));
        }
        assertThat(KafkaBroker.read(broker.bootstrapServers(), topic, 1, PATIENCE, false))
                .extracting(CoreFixtures::value).containsExactly("authenticated");
    }

    @Test
    void saslPlainWithAWrongPasswordFailsWithAnAuthenticationErrorAndNeverShowsIt() {
        String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "sasl-wrong", 1);
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        StringBuilder shown = new StringBuilder();
        try (CapturedLogs logs = CapturedLogs.start();
                Producer producer = Producer.create(sasl(WRONG_PASSWORD).kafka("message.timeout.ms", "5000").build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            DeliveryHandle handle = producer.produceAsync(Message.of(topic, "refused"));
            assertThatThrownBy(() -> handle.await(PATIENCE))
                    .isInstanceOfSatisfying(ProduceException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(KafkaError.MSG_TIMED_OUT);
                        shown.append(e).append(e.getMessage());
                    });
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(errors).extracting(Event.ErrorOccurred::kafkaError)
                    .anySatisfy(error -> assertThat(error).isNotNull()
                            .extracting(KafkaError::name).isEqualTo("_AUTHENTICATION")));
            errors.forEach(e -> shown.append(e).append(e.description()));
            shown.append(producer).append(producer.config()).append(logs.text());
        }
        assertThat(shown.toString()).contains("Authentication failed").doesNotContain(WRONG_PASSWORD)
                .doesNotContain(PASSWORD);
        assertThat(KafkaBroker.read(broker.bootstrapServers(), topic, 1, Duration.ofSeconds(3), false)).isEmpty();
    }

    @Test
    void tlsWithTheBrokersCaByLocationAndByPemDelivers() {
        String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "tls", 1);
        try (Producer byLocation = Producer.create(tls()
                        .kafka("ssl.ca.location", brokerCertificate.caPem().toString()).build());
                Producer byPem = Producer.create(tls().kafka("ssl.ca.pem", brokerCertificate.caPemText()).build())) {
            assertThat(byLocation.produceSync(Message.of(topic, "ca-location")).isDelivered()).isTrue();
            assertThat(byPem.produceSync(Message.of(topic, "ca-pem")).isDelivered()).isTrue();
        }
        assertThat(KafkaBroker.read(broker.bootstrapServers(), topic, 2, PATIENCE, false))
                .extracting(CoreFixtures::value).containsExactly("ca-location", "ca-pem");
    }

    @Test
    void tlsWithAWrongCaFailsWithACertificateError() {
        String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "tls-wrong", 1);
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        try (Producer producer = Producer.create(tls().kafka("ssl.ca.location", otherCa.caPem().toString())
                .kafka("message.timeout.ms", "5000").build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            DeliveryHandle handle = producer.produceAsync(Message.of(topic, "untrusted"));
            assertThatThrownBy(() -> handle.await(PATIENCE)).isInstanceOfSatisfying(ProduceException.class,
                    e -> assertThat(e.error().code()).isEqualTo(KafkaError.MSG_TIMED_OUT));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(errors).extracting(Event.ErrorOccurred::kafkaError)
                    .anySatisfy(error -> {
                        assertThat(error).isNotNull();
                        assertThat(error.name()).isEqualTo("_SSL");
                        assertThat(error.message()).contains("certificate verify failed");
                    }));
        }
        assertThat(KafkaBroker.read(broker.bootstrapServers(), topic, 1, Duration.ofSeconds(3), false)).isEmpty();
    }

    private static ProducerConfig.Builder sasl(String password) {
        return ProducerConfig.builder()
                .name(CoreFixtures.uniqueName("sasl"))
                .bootstrapServers(broker.bootstrapServers("SASL_PLAINTEXT"))
                .closeTimeout(Duration.ofSeconds(2))
                .kafka("security.protocol", "SASL_PLAINTEXT")
                .kafka("sasl.mechanisms", "PLAIN")
                .kafka("sasl.username", USER)
                .kafka("sasl.password", password)
                // librdkafka's own debug output goes through the same log callback: it must not show the password.
                .kafka("debug", "security,broker");
    }

    private static ProducerConfig.Builder tls() {
        return ProducerConfig.builder()
                .name(CoreFixtures.uniqueName("tls"))
                .bootstrapServers(broker.bootstrapServers("SSL"))
                .closeTimeout(Duration.ofSeconds(2))
                .kafka("security.protocol", "SSL");
    }

    /** Everything logged (every logger, with stack traces) while open. */
    private static final class CapturedLogs implements AutoCloseable {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new OutputStreamAppender<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        static CapturedLogs start() {
            CapturedLogs logs = new CapturedLogs();
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%level %logger %msg %ex%n");
            encoder.start();
            logs.appender.setContext(context);
            logs.appender.setEncoder(encoder);
            logs.appender.setOutputStream(logs.bytes);
            logs.appender.start();
            logs.root.addAppender(logs.appender);
            return logs;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
        }
    }
}
