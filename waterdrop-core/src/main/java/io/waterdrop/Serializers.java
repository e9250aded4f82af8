package io.waterdrop;

/**
 * A producer's key and payload {@link Serializer}s and whether {@link TypedProducer} adds a type header; set through
 * {@link ProducerConfig.Builder#keySerializer}, {@link ProducerConfig.Builder#payloadSerializer} and
 * {@link ProducerConfig.Builder#typeHeader}.
 *
 * @param key turns keys into bytes
 * @param payload turns payloads into bytes
 * @param typeHeader whether each message carries a {@value TypedProducer#TYPE_HEADER} header with the payload's class
 */
public record Serializers(Serializer<?> key, Serializer<?> payload, boolean typeHeader) {

    /** String keys (UTF-8), byte-array payloads, no type header. */
    public static final Serializers DEFAULT = new Serializers(Serializer.string(), Serializer.bytes(), false);

    Serializers withKey(Serializer<?> key) {
        return new Serializers(key, payload, typeHeader);
    }

    Serializers withPayload(Serializer<?> payload) {
        return new Serializers(key, payload, typeHeader);
    }

    Serializers withTypeHeader(boolean typeHeader) {
        return new Serializers(key, payload, typeHeader);
    }
}
