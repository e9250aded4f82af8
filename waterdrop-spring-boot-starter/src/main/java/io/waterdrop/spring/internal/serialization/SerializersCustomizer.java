package io.waterdrop.spring.internal.serialization;

import io.waterdrop.ConfigurationException;
import io.waterdrop.ProducerConfig;
import io.waterdrop.Serializer;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.ProducerSerializersProperties;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import io.waterdrop.spring.WaterDropProperties;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.core.Ordered;

/**
 * Applies {@code waterdrop.producers.<name>.serializers}: {@code bytes} and {@code string} are core's, {@code json}
 * is the {@value #JSON_SERIALIZER_BEAN} bean (the application's {@code JsonMapper}), anything else names a
 * {@link Serializer} bean. Runs first, so the application's own customizers can replace what it set.
 */
public final class SerializersCustomizer implements WaterDropProducerCustomizer, Ordered {

    /** The bean {@code json} resolves to. */
    public static final String JSON_SERIALIZER_BEAN = "waterDropJsonSerializer";

    private final WaterDropProperties properties;
    private final BeanFactory beanFactory;

    public SerializersCustomizer(WaterDropProperties properties, BeanFactory beanFactory) {
        this.properties = properties;
        this.beanFactory = beanFactory;
    }

    @Override
    public void customize(String producerName, ProducerConfig.Builder builder) {
        WaterDropProperties.Producer producer = this.properties.getProducers().get(producerName);
        if (producer == null) {
            return; // core's defaults (string keys, byte-array payloads) are the properties' defaults too
        }
        ProducerSerializersProperties serializers = producer.getSerializers();
        String prefix = "waterdrop.producers." + producerName + ".serializers.";
        builder.keySerializer(resolve(producerName, prefix + "key", serializers.getKey()));
        builder.payloadSerializer(resolve(producerName, prefix + "payload", serializers.getPayload()));
        builder.typeHeader(serializers.isTypeHeader());
    }

    private Serializer<?> resolve(String producerName, String property, String name) {
        String value = name == null ? "" : name.trim();
        switch (value) {
            case "bytes":
                return Serializer.bytes();
            case "string":
                return Serializer.string();
            case "json":
                return bean(producerName, property, JSON_SERIALIZER_BEAN, "json needs Jackson 3 on the classpath "
                        + "(tools.jackson.core:jackson-databind, e.g. through spring-boot-starter-jackson)");
            default:
                return bean(producerName, property, value, "use bytes, string, json or the name of a "
                        + "io.waterdrop.Serializer bean");
        }
    }

    private Serializer<?> bean(String producerName, String property, String beanName, String hint) {
        try {
            return this.beanFactory.getBean(beanName, Serializer.class);
        }
        catch (NoSuchBeanDefinitionException ex) {
            throw new InvalidProducerConfigurationException(producerName, property,
                    new ConfigurationException(property.substring(property.indexOf("serializers.")),
                            "no serializer '" + beanName + "': " + hint));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
