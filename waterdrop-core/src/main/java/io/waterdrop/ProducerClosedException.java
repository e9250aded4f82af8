package io.waterdrop;

/** The producer is closing or closed and takes no more calls. */
public class ProducerClosedException extends WaterDropException {

    public ProducerClosedException(String message) {
        super(message);
    }

    public ProducerClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
