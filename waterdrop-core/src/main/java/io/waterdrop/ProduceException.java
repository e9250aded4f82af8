package io.waterdrop;

/** A message was not delivered. {@link #error()} carries librdkafka's code, name and message. */
public class ProduceException extends WaterDropException {

    private final KafkaError error;
    private final transient Message message;

    public ProduceException(String producer, Message message, KafkaError error) {
        super("Producer '" + producer + "' could not deliver a message to topic '" + message.topic() + "': " + error);
        this.error = error;
        this.message = message;
    }

    public KafkaError error() {
        return error;
    }

    /** The message that was not delivered. */
    public Message failedMessage() {
        return message;
    }

    /** The failed message's {@link Message#label() label}, or {@code null}. */
    public Object label() {
        return message.label();
    }
}
