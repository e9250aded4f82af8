package io.waterdrop.spring.autoconfigure;

import io.waterdrop.spring.internal.endpoint.WaterDropSecretsSanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of a {@link SanitizingFunction} that masks librdkafka secrets
 * under {@code waterdrop.*} in {@code /actuator/env} and {@code /actuator/configprops} (and in the {@code waterdrop}
 * endpoint), even where their {@code show-values} shows values.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class)
@ConditionalOnClass(SanitizingFunction.class)
public final class WaterDropSecretsSanitizingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "waterDropSecretsSanitizingFunction")
    SanitizingFunction waterDropSecretsSanitizingFunction() {
        return WaterDropSecretsSanitizer.sanitizingFunction();
    }
}
