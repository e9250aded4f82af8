package io.waterdrop;

/** A transactional call failed; {@link #error()} is librdkafka's error and the flags say what may be done next. */
public class TransactionException extends WaterDropException {

    private final KafkaError error;
    private final boolean fatal;
    private final boolean retriable;
    private final boolean abortRequired;

    public TransactionException(String message, KafkaError error, boolean fatal, boolean retriable, boolean abortRequired) {
        super(message + ": " + error);
        this.error = error;
        this.fatal = fatal;
        this.retriable = retriable;
        this.abortRequired = abortRequired;
    }

    public KafkaError error() {
        return error;
    }

    public boolean isFatal() {
        return fatal;
    }

    public boolean isRetriable() {
        return retriable;
    }

    public boolean isAbortRequired() {
        return abortRequired;
    }
}
