package io.waterdrop.spring;

import io.waterdrop.Serializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON through a Jackson 3 {@link JsonMapper}: what {@code serializers.payload: json} (or {@code key: json}) uses,
 * with the application's own mapper bean, so {@code spring.jackson.*} settings and registered modules apply.
 * The bytes are UTF-8 JSON, as spring-kafka's {@code JacksonJsonDeserializer} reads them.
 */
public final class JacksonSerializer implements Serializer<Object> {

    private final JsonMapper mapper;

    public JacksonSerializer(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        return this.mapper.writeValueAsBytes(value);
    }
}
