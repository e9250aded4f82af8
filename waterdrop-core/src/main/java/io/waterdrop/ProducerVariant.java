package io.waterdrop;

import io.waterdrop.internal.client.TopicSettings;
import java.util.List;
import java.util.Map;

/**
 * A producer with other topic-level settings ({@link Producer#variant(Map)}): it sends through its producer's
 * librdkafka client and Poller, so it costs no connection or thread. Every method behaves as the producer's own
 * (same validation, errors, events, delivery reports), and closing the producer ends its variants.
 *
 * <p>A topic belongs to one variant per producer: the first to send to it owns it for the producer's life, and
 * another (the producer itself included) throws {@link VariantConflictException} for it. Thread-safe.
 */
public final class ProducerVariant {

    private final Producer producer;
    private final TopicSettings settings;

    ProducerVariant(Producer producer, TopicSettings settings) {
        this.producer = producer;
        this.settings = settings;
    }

    /** The producer this variant sends through. */
    public Producer producer() {
        return producer;
    }

    /** This variant's topic settings, sorted by key (empty: the producer's own). */
    public Map<String, String> settings() {
        return settings.settings();
    }

    /** Like {@link Producer#produceAsync(Message)}, with this variant's settings. */
    public DeliveryHandle produceAsync(Message message) {
        return producer.produceAsync(message, settings);
    }

    /** Like {@link Producer#produceSync(Message)}, with this variant's settings. */
    public DeliveryReport produceSync(Message message) {
        return producer.produceSync(message, settings);
    }

    /** Like {@link Producer#produceManyAsync(List)}, with this variant's settings. */
    public List<DeliveryHandle> produceManyAsync(List<Message> messages) {
        return producer.produceManyAsync(messages, settings);
    }

    /** Like {@link Producer#produceManySync(List)}, with this variant's settings. */
    public List<DeliveryReport> produceManySync(List<Message> messages) {
        return producer.produceManySync(messages, settings);
    }

    @Override
    public String toString() {
        return "ProducerVariant[" + producer.name() + ", " + settings.settings() + "]";
    }
}
