package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Producer;
import io.waterdrop.spring.test.TestConnectionDetails;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Spring Boot SSL bundles reach librdkafka as PEM ({@code ssl.ca.pem}, {@code ssl.certificate.pem},
 * {@code ssl.key.pem}): from a {@link KafkaConnectionDetails} bean, and from {@code spring.kafka.ssl.bundle} without
 * spring-kafka. librdkafka loads TLS material when the client is created, so a started context means it accepted
 * the PEM. The key store is made by the JDK's keytool for each run (nothing secret in the repository).
 */
@ExtendWith(OutputCaptureExtension.class)
class SslBundleTests {

    private static final String PASSWORD = "test-only-password";

    @TempDir
    static Path directory;

    private static Path keyStore;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @BeforeAll
    static void createKeyStore() throws Exception {
        keyStore = directory.resolve("client.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=waterdrop-test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true)
            .start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool: %s", out).isZero();
    }

    @Test
    void sslBundleOfConnectionDetailsPassedToLibrdkafkaAsPem(CapturedOutput output) {
        this.runner.withBean(KafkaConnectionDetails.class, SslBundleTests::sslConnectionDetails)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                Map<String, String> kafka = context.getBean(Producer.class).config().kafka();
                assertThat(kafka).containsEntry("security.protocol", "ssl");
                assertThat(certificates(kafka.get("ssl.ca.pem"))).containsExactly(storedCertificate());
                assertThat(certificates(kafka.get("ssl.certificate.pem"))).containsExactly(storedCertificate());
                assertThat(kafka.get("ssl.key.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n")
                    .endsWith("-----END PRIVATE KEY-----\n");
            });
        assertThat(output.getOut()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void sslBundleFromSpringKafkaPropertiesWhenNoConnectionDetails() {
        this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.kafka", "org.springframework.kafka"))
            .withPropertyValues("spring.ssl.bundle.jks.client.keystore.location=" + keyStore.toUri(),
                    "spring.ssl.bundle.jks.client.keystore.password=" + PASSWORD,
                    "spring.ssl.bundle.jks.client.keystore.type=PKCS12",
                    "spring.ssl.bundle.jks.client.truststore.location=" + keyStore.toUri(),
                    "spring.ssl.bundle.jks.client.truststore.password=" + PASSWORD,
                    "spring.ssl.bundle.jks.client.truststore.type=PKCS12",
                    "spring.kafka.bootstrap-servers=secure:9093", "spring.kafka.security.protocol=SSL",
                    "spring.kafka.ssl.bundle=client")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(Producer.class).config().kafka())
                    .containsEntry("security.protocol", "ssl")
                    .containsKeys("ssl.ca.pem", "ssl.certificate.pem", "ssl.key.pem");
            });
    }

    @Test
    void sslLocationsInWaterDropKafkaReplaceTheBundlesPemOfTheSameKind() throws Exception {
        Path ca = directory.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(storedCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        this.runner.withBean(KafkaConnectionDetails.class, SslBundleTests::sslConnectionDetails)
            .withPropertyValues("waterdrop.kafka.ssl.ca.location=" + ca)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(Producer.class).config().kafka())
                    .containsEntry("ssl.ca.location", ca.toString())
                    .doesNotContainKey("ssl.ca.pem")
                    .containsKeys("ssl.certificate.pem", "ssl.key.pem");
            });
    }

    @Test
    void brokenPemRejectedByLibrdkafkaWhenTheClientIsCreated() {
        // Shows that a started context above means librdkafka parsed the PEM: it checks it at creation.
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=secure:9093",
                "waterdrop.kafka.security.protocol=ssl", "waterdrop.kafka.ssl.ca.pem=not a certificate")
            .run((context) -> assertThat(context).getFailure()
                .hasRootCauseInstanceOf(ConfigurationException.class)
                .rootCause()
                .hasMessageContaining("ssl.ca.pem"));
    }

    private static KafkaConnectionDetails sslConnectionDetails() {
        return TestConnectionDetails.of("secure:9093", "SSL", bundle());
    }

    private static SslBundle bundle() {
        JksSslStoreDetails store = new JksSslStoreDetails("PKCS12", null, keyStore.toUri().toString(), PASSWORD);
        return SslBundle.of(new JksSslStoreBundle(store, store));
    }

    private static Certificate storedCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store.getCertificate("client");
    }

    private static List<Certificate> certificates(String pem) throws Exception {
        return List.copyOf(CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    }
}
