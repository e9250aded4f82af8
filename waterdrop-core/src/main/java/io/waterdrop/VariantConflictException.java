package io.waterdrop;

import java.util.Map;

/**
 * A message went to a topic that this producer already sends with other topic settings. librdkafka keeps one topic
 * configuration per topic name per client, fixed by the first use, so a topic belongs to ONE variant of a producer
 * (the producer itself counts as the variant without settings; declared topics belong to it). Nothing was sent, and
 * the producer stays usable. Send that topic through the variant that owns it, or use another producer.
 */
public class VariantConflictException extends ProduceException {

    private final Map<String, String> ownerSettings;
    private final Map<String, String> requestedSettings;

    public VariantConflictException(String producer, Message message, Map<String, String> ownerSettings,
            Map<String, String> requestedSettings, KafkaError error) {
        super(producer, message, error);
        this.ownerSettings = Map.copyOf(ownerSettings);
        this.requestedSettings = Map.copyOf(requestedSettings);
    }

    /** The topic settings the topic is already sent with (empty: the producer's own settings). */
    public Map<String, String> ownerSettings() {
        return ownerSettings;
    }

    /** The topic settings of the variant that tried to send (empty: the producer's own settings). */
    public Map<String, String> requestedSettings() {
        return requestedSettings;
    }
}
