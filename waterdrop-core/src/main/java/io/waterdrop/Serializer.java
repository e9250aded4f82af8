package io.waterdrop;

import java.nio.charset.StandardCharsets;

/**
 * Turns a key or payload into the bytes a {@link Message} carries; chosen per producer
 * ({@link ProducerConfig.Builder#keySerializer}, {@link ProducerConfig.Builder#payloadSerializer}) and used by
 * {@link Producer#typed()}. A {@code null} key or payload is never passed in: it stays {@code null} (no key, a
 * tombstone). Whatever a serializer throws fails the call with a {@link SerializationException} before anything is
 * sent.
 *
 * @param <T> the type it serializes
 */
@FunctionalInterface
public interface Serializer<T> {

    /**
     * @param topic the topic the message goes to
     * @param value never {@code null}
     * @return the bytes to send ({@code null} sends no key, or a tombstone)
     */
    byte[] serialize(String topic, T value);

    /** Passes byte arrays through unchanged (the default payload serializer). */
    static Serializer<byte[]> bytes() {
        return (topic, value) -> value;
    }

    /** Strings as UTF-8 (the default key serializer). */
    static Serializer<String> string() {
        return (topic, value) -> value.getBytes(StandardCharsets.UTF_8);
    }
}
