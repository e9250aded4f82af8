package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import io.waterdrop.spring.test.TestConnectionDetails;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where a producer's bootstrap servers come from: its own {@code kafka.bootstrap.servers}, else
 * {@code waterdrop.kafka}, else Spring Boot's {@link KafkaConnectionDetails} (when the class and a bean exist), else
 * {@code spring.kafka.producer.bootstrap-servers}, else {@code spring.kafka.bootstrap-servers}, else
 * {@code localhost:9092}; and the security protocol that comes with them.
 */
class BootstrapServersPrecedenceTests {

    private static final KafkaConnectionDetails SASL_DETAILS = TestConnectionDetails.of("secure:9094",
            "SASL_PLAINTEXT", null);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenProducerSetsBootstrapServersShouldUseThemOverEverythingElse() {
        this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
            .withPropertyValues("waterdrop.kafka.bootstrap.servers=shared:9092",
                    "waterdrop.producers.default.kafka.bootstrap.servers=own:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("own:9092"));
    }

    @Test
    void whenSharedKafkaSetsBootstrapServersShouldUseThemOverConnectionDetails() {
        this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
            .withPropertyValues("waterdrop.kafka.bootstrap.servers=shared:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("shared:9092"));
    }

    @Test
    void whenOnlyKafkaConnectionDetailsBeanExistsShouldUseItsProducerServers() {
        this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class)))
                .isEqualTo("details-1:9092,details-2:9092"));
    }

    @Test
    void connectionDetailsBeanWinsOverSpringKafkaProperties() {
        this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=spring-kafka:9092",
                    "spring.kafka.producer.bootstrap-servers=spring-kafka-producer:9092")
            .run((context) -> assertThat(bootstrapServers(context.getBean(Producer.class)))
                .isEqualTo("details-1:9092,details-2:9092"));
    }

    @Test
    void saslFromConnectionDetailsCarriedOverWhenSaslSettingsGiven() {
        this.runner.withBean(KafkaConnectionDetails.class, () -> SASL_DETAILS)
            .withPropertyValues("waterdrop.kafka.sasl.mechanism=PLAIN", "waterdrop.kafka.sasl.username=app",
                    "waterdrop.kafka.sasl.password=secret")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("bootstrap.servers", "secure:9094")
                .containsEntry("security.protocol", "sasl_plaintext")
                .containsEntry("sasl.mechanism", "PLAIN"));
    }

    @Test
    void saslFromConnectionDetailsAcceptedWhenCustomizerAddsSaslSettings() {
        this.runner.withBean(KafkaConnectionDetails.class, () -> SASL_DETAILS)
            .withBean(WaterDropProducerCustomizer.class, () -> (name, builder) -> builder
                .kafka("sasl.mechanism", "SCRAM-SHA-512").kafka("sasl.username", "app")
                .kafka("sasl.password", "secret"))
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("security.protocol", "sasl_plaintext")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void saslProtocolSetInWaterDropKafkaIsLeftToLibrdkafka() {
        // Written in librdkafka's own settings, the protocol is librdkafka's business (GSSAPI with defaults may be
        // a valid Kerberos setup elsewhere); this build of librdkafka rejects it when the client is created.
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=secure:9094",
                "waterdrop.kafka.security.protocol=sasl_plaintext")
            .run((context) -> assertThat(context).getFailure()
                .hasRootCauseInstanceOf(ConfigurationException.class)
                .rootCause()
                .hasMessageContaining("sasl.kerberos"));
    }

    @Test
    void whenSpringKafkaBootstrapServersSetShouldUseThemThroughKafkaAutoConfiguration() {
        this.runner.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=spring-kafka:9092",
                    "spring.kafka.producer.bootstrap-servers=spring-kafka-producer:9092")
            .run((context) -> {
                assertThat(context).hasSingleBean(KafkaConnectionDetails.class);
                assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("spring-kafka-producer:9092");
            });
    }

    @Test
    void whenConnectionDetailsNameSecurityProtocolShouldPassItInLibrdkafkaSpelling() {
        this.runner.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=secure:9093", "spring.kafka.security.protocol=SSL")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("bootstrap.servers", "secure:9093")
                .containsEntry("security.protocol", "ssl"));
    }

    @Test
    void whenProducerSetsSecurityProtocolShouldKeepItOverConnectionDetails() {
        this.runner.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=secure:9093", "spring.kafka.security.protocol=SSL",
                    "waterdrop.kafka.security.protocol=plaintext")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("bootstrap.servers", "secure:9093")
                .containsEntry("security.protocol", "plaintext"));
    }

    @Test
    void whenNothingNamesBootstrapServersShouldUseLocalhost() {
        this.runner.run((context) -> {
            assertThat(context).doesNotHaveBean(KafkaConnectionDetails.class);
            assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("localhost:9092");
        });
    }

    @Test
    void whenSpringBootKafkaIsNotOnClasspathShouldUseLocalhost() {
        this.runner.withClassLoader(new FilteredClassLoader(KafkaConnectionDetails.class)).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(bootstrapServers(context.getBean(Producer.class))).isEqualTo("localhost:9092");
        });
    }

    @Test
    void whenProducerSetsMetadataBrokerListShouldNotAddBootstrapServers() {
        this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
            .withPropertyValues("waterdrop.producers.default.kafka.metadata.broker.list=legacy:9092")
            .run((context) -> assertThat(context.getBean(Producer.class).config().kafka())
                .containsEntry("metadata.broker.list", "legacy:9092")
                .doesNotContainKey("bootstrap.servers"));
    }

    @Test
    void whenProducersDifferShouldResolveEachOnItsOwn() {
        this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.kafka.bootstrap.servers=orders:9092",
                    "waterdrop.producers.audit.kafka.acks=1")
            .run((context) -> {
                Map<String, Producer> producers = context.getBeansOfType(Producer.class);
                assertThat(bootstrapServers(producers.get("waterdrop.producers.orders"))).isEqualTo("orders:9092");
                assertThat(bootstrapServers(producers.get("waterdrop.producers.audit")))
                    .isEqualTo("details-1:9092,details-2:9092");
            });
    }

    private static String bootstrapServers(Producer producer) {
        return producer.config().kafka().get("bootstrap.servers");
    }

    @Configuration(proxyBeanMethods = false)
    static class ConnectionDetailsConfiguration {

        @Bean
        KafkaConnectionDetails kafkaConnectionDetails() {
            return () -> List.of("details-1:9092", "details-2:9092");
        }
    }
}
