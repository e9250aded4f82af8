package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Spring Boot's own {@code spring.kafka.*} connection properties reach WaterDrop producers with neither spring-kafka
 * nor spring-boot-kafka on the classpath (both hidden here), and each producer logs where its bootstrap servers
 * came from.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringKafkaPropertiesTests {

    private static final String LOG_LINE = "WaterDrop producer 'default' uses bootstrap servers ";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.kafka", "org.springframework.kafka"));

    @Test
    void bootstrapServersFromSpringKafkaPropertiesWhenNoConnectionDetails(CapturedOutput output) {
        String topic = KafkaBroker.newTopic("spring-kafka-properties");
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=" + KafkaBroker.bootstrapServers())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                DeliveryReport report = context.getBean(Producer.class)
                    .produceSync(Message.of(topic, "via spring.kafka.bootstrap-servers"));
                assertThat(report.error()).isNull();
            });
        assertThat(KafkaBroker.read(topic, 1))
            .extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
            .containsExactly("via spring.kafka.bootstrap-servers");
        assertThat(logLines(output)).singleElement().asString()
            .contains(" INFO ")
            .endsWith(LOG_LINE + KafkaBroker.bootstrapServers() + " (from spring.kafka.bootstrap-servers)");
    }

    @Test
    void producerBootstrapServersWinOverGlobalOnesLikeSpringBoot(CapturedOutput output) {
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=global:9092",
                "spring.kafka.producer.bootstrap-servers=producer:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("producer:9092"));
        assertThat(logLines(output)).singleElement().asString()
            .endsWith(LOG_LINE + "producer:9092 (from spring.kafka.producer.bootstrap-servers)");
    }

    @Test
    void bootstrapServersAsCommaSeparatedStringWhenWrittenSo() {
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=a:9092, b:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("a:9092,b:9092"));
    }

    @Test
    void bootstrapServersAsListWhenWrittenAsYamlList() {
        this.runner.withPropertyValues("spring.kafka.producer.bootstrap-servers[0]=a:9092",
                "spring.kafka.producer.bootstrap-servers[1]=b:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("a:9092,b:9092"));
    }

    @Test
    void securityProtocolFromSpringKafkaPropertiesInLibrdkafkaSpellingProducerLevelFirst() {
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=secure:9093",
                "spring.kafka.security.protocol=SASL_SSL",
                "spring.kafka.producer.security.protocol=SSL")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("bootstrap.servers", "secure:9093")
                .containsEntry("security.protocol", "ssl"));
    }

    @Test
    void waterdropKafkaBootstrapServersWinOverSpringKafkaProperties(CapturedOutput output) {
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=spring:9092",
                "spring.kafka.security.protocol=SSL", "waterdrop.kafka.bootstrap.servers=waterdrop:9092")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("bootstrap.servers", "waterdrop:9092")
                .doesNotContainKey("security.protocol"));
        assertThat(logLines(output)).singleElement().asString()
            .endsWith(LOG_LINE + "waterdrop:9092 (from waterdrop.kafka.bootstrap.servers)");
    }

    @Test
    void clientIdAndPassThroughPropertiesOfSpringKafkaAreNotRead() {
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=spring:9092", "spring.kafka.client-id=shared",
                "spring.kafka.properties.linger.ms=500")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("bootstrap.servers", "spring:9092")
                .doesNotContainKey("linger.ms")
                .doesNotContainEntry("client.id", "shared"));
    }

    @Test
    void localhostDefaultLoggedAsWarningWhenNothingNamesBootstrapServers(CapturedOutput output) {
        this.runner.withPropertyValues("spring.kafka.bootstrap-servers=")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class)))
                .isEqualTo("localhost:9092"));
        assertThat(logLines(output)).singleElement().asString()
            .contains(" WARN ")
            .contains(LOG_LINE + "localhost:9092, the default: none of "
                    + "waterdrop.producers.default.kafka.bootstrap.servers, waterdrop.kafka.bootstrap.servers, a "
                    + "KafkaConnectionDetails bean, spring.kafka.producer.bootstrap-servers or "
                    + "spring.kafka.bootstrap-servers is set");
    }

    @Test
    void localhostDefaultLoggedAsWarningWhenKafkaAutoConfigurationOnlyHasBootsDefault(CapturedOutput output) {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, WaterDropAutoConfiguration.class))
            // The embedded broker, once started in this JVM, sets the system property spring.kafka.bootstrap-servers
            // (spring-kafka-test's default): hide it, or this test depends on the order test classes run in.
            .withSystemProperties("spring.kafka.bootstrap-servers")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class)))
                .isEqualTo("localhost:9092"));
        assertThat(logLines(output)).singleElement().asString().contains(" WARN ")
            .contains(LOG_LINE + "localhost:9092, the default");
    }

    @Test
    void springKafkaPropertiesThroughKafkaAutoConfigurationNamedInTheLog(CapturedOutput output) {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, WaterDropAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=spring:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("spring:9092"));
        assertThat(logLines(output)).singleElement().asString().contains(" INFO ")
            .endsWith(LOG_LINE + "spring:9092 (from spring.kafka.bootstrap-servers via Spring Boot's "
                    + "KafkaConnectionDetails)");
    }

    private static List<String> logLines(CapturedOutput output) {
        return output.getOut().lines().filter((line) -> line.contains(LOG_LINE)).toList();
    }

    private static String bootstrapServers(Producer producer) {
        return producer.config().kafka().get("bootstrap.servers");
    }
}
