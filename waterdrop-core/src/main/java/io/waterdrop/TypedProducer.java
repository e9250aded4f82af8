package io.waterdrop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends keys and payloads of application types through the producer's {@link Serializers} (get one with
 * {@link Producer#typed()}). Everything a call sends is serialized first: when a serializer throws, the call fails
 * with a {@link SerializationException} naming the topic and the field, and nothing of it was sent. The message API
 * of {@link Producer} stays as it is; {@link #message} gives a builder for headers, partitions and timestamps.
 *
 * <pre>{@code
 * TypedProducer<String, Order> orders = producer.typed();
 * orders.produceAsync("orders", order.id(), order);
 * }</pre>
 *
 * <p>The types are not checked against the serializers when it is created: a value the serializer cannot take fails
 * its call with a {@link SerializationException} (e.g. caused by a {@link ClassCastException}).
 *
 * @param <K> key type
 * @param <V> payload type
 */
public final class TypedProducer<K, V> {

    /** The header spring-kafka's JSON deserializer reads the payload's class from. */
    public static final String TYPE_HEADER = "__TypeId__";

    private final Producer producer;
    private final Serializers serializers;

    TypedProducer(Producer producer, Serializers serializers) {
        this.producer = producer;
        this.serializers = serializers;
    }

    /** The producer it sends with. */
    public Producer producer() {
        return producer;
    }

    /**
     * A message builder holding the serialized key and payload (and the type header when configured), to add
     * headers, a partition or a timestamp before {@link Producer#produceAsync(Message)}.
     *
     * @throws SerializationException when the key or payload could not be serialized
     */
    public Message.Builder message(String topic, K key, V value) {
        Message.Builder builder = Message.builder(topic)
                .key(serialize(topic, "key", serializers.key(), key))
                .payload(serialize(topic, "payload", serializers.payload(), value));
        if (serializers.typeHeader() && value != null) {
            builder.header(TYPE_HEADER, value.getClass().getName());
        }
        return builder;
    }

    /** {@link Producer#produceAsync(Message)} of {@code value} with {@code key} ({@code null}: no key). */
    public DeliveryHandle produceAsync(String topic, K key, V value) {
        return producer.produceAsync(message(topic, key, value).build());
    }

    /** {@link Producer#produceSync(Message)} of {@code value} with {@code key} ({@code null}: no key). */
    public DeliveryReport produceSync(String topic, K key, V value) {
        return producer.produceSync(message(topic, key, value).build());
    }

    /**
     * {@link Producer#produceManyAsync(List)} of {@code values}, each keyed by {@code keyOf}; every value is
     * serialized before the first is sent.
     */
    public List<DeliveryHandle> produceManyAsync(String topic, List<? extends V> values,
            Function<? super V, ? extends K> keyOf) {
        return producer.produceManyAsync(messages(topic, values, keyOf));
    }

    /** {@link Producer#produceManySync(List)} of {@code values}, each keyed by {@code keyOf}; all serialized first. */
    public List<DeliveryReport> produceManySync(String topic, List<? extends V> values,
            Function<? super V, ? extends K> keyOf) {
        return producer.produceManySync(messages(topic, values, keyOf));
    }

    private List<Message> messages(String topic, List<? extends V> values, Function<? super V, ? extends K> keyOf) {
        List<Message> messages = new ArrayList<>(values.size());
        for (V value : values) {
            messages.add(message(topic, keyOf.apply(value), value).build());
        }
        return messages;
    }

    @SuppressWarnings("unchecked")
    private static byte[] serialize(String topic, String field, Serializer<?> serializer, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return ((Serializer<Object>) serializer).serialize(topic, value);
        } catch (RuntimeException e) {
            throw new SerializationException(topic, field, serializer, e);
        }
    }
}
