package io.waterdrop.internal.producer;

import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.VariantConflictException;
import io.waterdrop.internal.client.PartitionKeys;
import io.waterdrop.internal.client.TopicSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The variants of one producer and which one owns each topic. librdkafka fixes a topic's settings in a client at
 * its first use and keeps them for the client's life (see TopicHandles), so the first variant to send to a topic owns
 * it for the producer's life (across reopen, reload and reconnect, so every new client makes the same choice), and
 * another variant sending there fails with {@link VariantConflictException} instead of silently getting the owner's
 * settings. Variants with equal settings are the same owner; declared topics belong to the producer's own settings.
 */
public final class VariantRegistry {

    private final String producer;
    private final Map<String, String> kafka;
    private final PartitionKeys defaultKeys;
    private final Duration maxWait;
    private final ConcurrentHashMap<String, TopicSettings> owners = new ConcurrentHashMap<>();
    /** Variants that set their own partitioner hash partition keys with it. */
    private final ConcurrentHashMap<TopicSettings, PartitionKeys> partitionKeys = new ConcurrentHashMap<>();

    public VariantRegistry(String producer, Map<String, String> kafka, PartitionKeys defaultKeys, Duration maxWait,
            List<String> declaredTopics) {
        this.producer = producer;
        this.kafka = kafka;
        this.defaultKeys = defaultKeys;
        this.maxWait = maxWait;
        declaredTopics.forEach(topic -> owners.put(topic, TopicSettings.DEFAULT));
    }

    /** Checks a variant's settings with librdkafka (see TopicSettings.of). */
    public TopicSettings settings(Map<String, String> topicSettings) {
        return TopicSettings.of(producer, topicSettings, kafka);
    }

    /**
     * Makes {@code settings} the owner of the message's topic, or checks that it is.
     *
     * @throws VariantConflictException when another variant owns the topic
     */
    public void claim(Message message, TopicSettings settings) {
        String topic = message.topic();
        TopicSettings owner = owners.get(topic);
        if (owner == null) {
            owner = owners.putIfAbsent(topic, settings);
            if (owner == null) {
                return;
            }
        }
        if (owner != settings && !owner.equals(settings)) {
            throw new VariantConflictException(producer, message, owner.settings(), settings.settings(),
                    new KafkaError(KafkaError.CONFLICT, "_CONFLICT", "topic '" + topic + "' is sent with "
                            + owner.describe() + ", so " + settings.describe() + " cannot send to it: librdkafka "
                            + "keeps one configuration per topic in a client, and a topic belongs to one variant per "
                            + "producer. Send it through the same variant, or use another producer"));
        }
    }

    /** The partition keys of a variant: its own when it sets a partitioner, else the producer's. */
    public PartitionKeys partitionKeys(TopicSettings settings) {
        if (settings.partitioner() == null) {
            return defaultKeys;
        }
        return partitionKeys.computeIfAbsent(settings, s -> {
            Map<String, String> merged = new HashMap<>(kafka);
            merged.putAll(s.settings());
            return new PartitionKeys(producer, merged, maxWait);
        });
    }

    /** A new client: forget cached partition counts (the owners stay). */
    public void clear() {
        partitionKeys.values().forEach(PartitionKeys::clear);
    }
}
