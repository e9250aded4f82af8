package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Producer;
import io.waterdrop.Serializer;
import io.waterdrop.Serializers;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.JacksonSerializer;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Serializers chosen per producer in YAML, by bean name or by a customizer; JSON through Boot's JsonMapper. */
class WaterDropSerializationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WaterDropAutoConfiguration.class,
                WaterDropSerializationAutoConfiguration.class));

    private static Serializers serializers(org.springframework.context.ApplicationContext context) {
        return context.getBean(Producer.class).config().serializers();
    }

    @Test
    void whenNothingConfiguredShouldUseStringKeysAndBytePayloadsWithoutTypeHeader() {
        this.runner.withPropertyValues("waterdrop.producers.orders.close-timeout=1s").run((context) -> {
            Serializers serializers = serializers(context);
            assertThat(serializer(serializers.key(), "k")).isEqualTo("k");
            assertThat(serializers.payload().getClass()).isEqualTo(Serializer.bytes().getClass());
            assertThat(serializers.typeHeader()).isFalse();
        });
    }

    @Test
    void whenPayloadIsJsonShouldUseTheApplicationsJsonMapperWithSpringJacksonSettings() {
        this.runner.withPropertyValues("waterdrop.producers.orders.serializers.payload=json",
                "waterdrop.producers.orders.serializers.type-header=true",
                "spring.jackson.property-naming-strategy=SNAKE_CASE")
            .run((context) -> {
                assertThat(context).hasSingleBean(JsonMapper.class);
                Serializers serializers = serializers(context);
                assertThat(serializers.payload()).isSameAs(context.getBean(JacksonSerializer.class));
                assertThat(serializers.typeHeader()).isTrue();
                assertThat(serializer(serializers.payload(), new Order("o1", 5))).isEqualTo(
                        "{\"order_id\":\"o1\",\"amount\":5}");
            });
    }

    @Test
    void whenJacksonIsMissingJsonShouldFailNamingTheProperty() {
        this.runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
            .withPropertyValues("waterdrop.producers.orders.serializers.payload=json")
            .run((context) -> assertThat(invalidConfiguration(context.getStartupFailure()))
                .hasMessageContaining("waterdrop.producers.orders.serializers.payload")
                .hasMessageContaining("Jackson 3"));
    }

    @Test
    void whenKeyNamesASerializerBeanShouldUseIt() {
        this.runner.withUserConfiguration(UpperCaseSerializerConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.serializers.key=upperCase")
            .run((context) -> assertThat(serializer(serializers(context).key(), "k1")).isEqualTo("K1"));
    }

    @Test
    void whenPayloadNamesAMissingBeanShouldFailNamingThePropertyAndTheBean() {
        this.runner.withPropertyValues("waterdrop.producers.orders.serializers.payload=protobuf")
            .run((context) -> assertThat(invalidConfiguration(context.getStartupFailure()))
                .hasMessageContaining("waterdrop.producers.orders.serializers.payload")
                .hasMessageContaining("no serializer 'protobuf'"));
    }

    @Test
    void whenACustomizerSetsASerializerShouldWinOverTheProperties() {
        this.runner.withUserConfiguration(UpperCaseSerializerConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.serializers.payload=json")
            .withBean(WaterDropProducerCustomizer.class, () -> (name, builder) -> builder
                .payloadSerializer(UpperCaseSerializerConfiguration.UPPER_CASE))
            .run((context) -> assertThat(serializers(context).payload())
                .isSameAs(UpperCaseSerializerConfiguration.UPPER_CASE));
    }

    private static Throwable invalidConfiguration(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidProducerConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("InvalidProducerConfigurationException in the causes of %s", failure).isNotNull();
        return cause;
    }

    @SuppressWarnings("unchecked")
    private static String serializer(Serializer<?> serializer, Object value) {
        return new String(((Serializer<Object>) serializer).serialize("t", value), StandardCharsets.UTF_8);
    }

    record Order(String orderId, int amount) {
    }

    @Configuration(proxyBeanMethods = false)
    static class UpperCaseSerializerConfiguration {

        static final Serializer<String> UPPER_CASE = (topic, value) -> value.toUpperCase()
            .getBytes(StandardCharsets.UTF_8);

        @Bean
        Serializer<String> upperCase() {
            return UPPER_CASE;
        }
    }
}
