package io.waterdrop.spring.internal.endpoint;

import io.waterdrop.Secrets;
import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the librdkafka secrets of {@code waterdrop.*} properties ({@code waterdrop.kafka.sasl.password},
 * {@code waterdrop.producers.orders.kafka.ssl.key.pem}, {@code WATERDROP_KAFKA_SASL_PASSWORD}, ...) in
 * {@code /actuator/env} and {@code /actuator/configprops} even when their {@code show-values} shows values, plus the
 * places Spring Boot knows a secret may hide in as a whole ({@code SPRING_APPLICATION_JSON},
 * {@code sun.java.command}).
 */
public final class WaterDropSecretsSanitizer {

    private static final String PREFIX = "waterdrop.";
    private static final String KAFKA = "kafka.";

    private WaterDropSecretsSanitizer() {
    }

    public static SanitizingFunction sanitizingFunction() {
        return SanitizingFunction.sanitizeValue().ifMatches(WaterDropSecretsSanitizer::isWaterDropSecret)
            .ifLikelySensitiveProperty();
    }

    /** Whether a property key names a librdkafka secret under {@code waterdrop.} (environment variable form too). */
    static boolean isWaterDropSecret(SanitizableData data) {
        String key = data.getKey().toLowerCase(Locale.ROOT).replace('_', '.');
        if (!key.startsWith(PREFIX)) {
            return false;
        }
        int kafka = key.indexOf("." + KAFKA);
        // Under a kafka map only the librdkafka key counts: a producer named "tokens" has no secrets by its name.
        String librdkafkaKey = kafka >= 0 ? key.substring(kafka + 1 + KAFKA.length()) : key;
        return Secrets.isSecret(librdkafkaKey);
    }
}
