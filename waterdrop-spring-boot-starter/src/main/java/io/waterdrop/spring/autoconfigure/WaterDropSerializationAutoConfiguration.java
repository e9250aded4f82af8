package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Producer;
import io.waterdrop.spring.JacksonSerializer;
import io.waterdrop.spring.WaterDropProperties;
import io.waterdrop.spring.internal.serialization.SerializersCustomizer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of each producer's serializers from
 * {@code waterdrop.producers.<name>.serializers}, and of {@code json} through the application's Jackson 3
 * {@link JsonMapper} bean (Spring Boot's, so {@code spring.jackson.*} applies; a plain mapper only when the
 * application has none).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(Producer.class)
@EnableConfigurationProperties(WaterDropProperties.class)
public final class WaterDropSerializationAutoConfiguration {

    @Bean
    SerializersCustomizer waterDropSerializersCustomizer(WaterDropProperties properties, BeanFactory beanFactory) {
        return new SerializersCustomizer(properties, beanFactory);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonConfiguration {

        @Bean(SerializersCustomizer.JSON_SERIALIZER_BEAN)
        @ConditionalOnMissingBean(name = SerializersCustomizer.JSON_SERIALIZER_BEAN)
        JacksonSerializer waterDropJsonSerializer(ObjectProvider<JsonMapper> mapper) {
            return new JacksonSerializer(mapper.getIfAvailable(JsonMapper::new));
        }
    }
}
