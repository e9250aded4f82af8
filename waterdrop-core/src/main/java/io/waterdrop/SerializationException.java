package io.waterdrop;

/**
 * A key or payload could not be serialized; nothing of the call was sent and the producer stays usable.
 * {@link #field()} is {@code key} or {@code payload}, {@link #topic()} the message's topic, the cause is what the
 * serializer threw.
 */
public class SerializationException extends InvalidMessageException {

    private final String topic;

    public SerializationException(String topic, String field, Serializer<?> serializer, Throwable cause) {
        super(field, "for topic '" + topic + "' could not be serialized by " + serializer.getClass().getName()
                + ": " + cause, cause);
        this.topic = topic;
    }

    /** The topic of the message that was not sent. */
    public String topic() {
        return topic;
    }
}
