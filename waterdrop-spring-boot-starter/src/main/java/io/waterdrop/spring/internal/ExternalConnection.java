package io.waterdrop.spring.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Kafka connection settings found outside {@code waterdrop.*}, used for a producer whose librdkafka settings name no
 * bootstrap servers. Sources are asked in {@linkplain org.springframework.core.Ordered order}, the first that
 * {@linkplain #find() finds} a connection wins: Spring Boot's {@code KafkaConnectionDetails} bean, then the
 * {@code spring.kafka.*} properties.
 */
public interface ExternalConnection {

    /** The connection this source describes, or {@code null} when it names no bootstrap servers. */
    @Nullable Found find();

    /**
     * A connection found outside {@code waterdrop.*}.
     *
     * @param kafka librdkafka settings: always {@code bootstrap.servers}, maybe {@code security.protocol} and
     * {@code ssl.*.pem}
     * @param source where they come from, for logs and messages (e.g. {@code spring.kafka.bootstrap-servers})
     */
    record Found(Map<String, String> kafka, String source) {

        public Found {
            kafka = Map.copyOf(kafka);
        }
    }
}
