package io.waterdrop.spring;

/**
 * One producer's serializers ({@code waterdrop.producers.<name>.serializers}): what {@code Producer.typed()} turns
 * keys and payloads into bytes with. Each is {@code bytes}, {@code string}, {@code json} (the application's Jackson
 * {@code JsonMapper}, so {@code spring.jackson.*} applies) or the name of an {@link io.waterdrop.Serializer} bean; a
 * {@link WaterDropProducerCustomizer} can set any other.
 */
public class ProducerSerializersProperties {

    /** Key serializer: bytes, string, json, or the name of a Serializer bean. */
    private String key = "string";

    /** Payload serializer: bytes, string, json, or the name of a Serializer bean. */
    private String payload = "bytes";

    /**
     * Whether every message carries a __TypeId__ header with the payload's class name, which spring-kafka's JSON
     * deserializer reads to pick the type.
     */
    private boolean typeHeader;

    public String getKey() {
        return this.key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getPayload() {
        return this.payload;
    }

    public void setPayload(String payload) {
        this.payload = payload;
    }

    public boolean isTypeHeader() {
        return this.typeHeader;
    }

    public void setTypeHeader(boolean typeHeader) {
        this.typeHeader = typeHeader;
    }
}
