package io.waterdrop.spring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@code waterdrop.producers.<name>.variants}: a {@link io.waterdrop.ProducerVariant} bean that sends
 * through that producer's client with other topic-level librdkafka settings, qualified {@code <producer>.<variant>}.
 */
public class WaterDropVariantProperties {

    /**
     * Topic-level librdkafka settings merged over the producer's (acks, compression.type, message.timeout.ms,
     * partitioner, ...; strings). Client-level and unknown keys stop startup.
     */
    private final Map<String, String> kafka = new LinkedHashMap<>();

    public Map<String, String> getKafka() {
        return this.kafka;
    }
}
