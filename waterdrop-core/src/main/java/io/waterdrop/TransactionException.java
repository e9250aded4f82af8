package io.waterdrop;

/**
 * A transactional call failed; {@link #error()} is librdkafka's error and the flags say what happened and what may
 * be done next, following librdkafka's rules:
 *
 * <ul>
 *   <li>{@link #isRetriable()}: the call kept failing with a retriable error (e.g. {@code _TIMED_OUT}) until
 *       {@code max-wait-timeout} ran out. librdkafka continues it in the background; the producer resumes it at the
 *       start of the next {@code transaction()}.</li>
 *   <li>{@link #isAbortRequired()}: the transaction could not commit and has to be aborted;
 *       {@link #isAborted()} tells whether the producer did abort it (it tries once on its own).</li>
 *   <li>{@link #isFatal()}: the client cannot do transactions any more (e.g. {@code PRODUCER_FENCED}); errors with
 *       none of the three flags are fatal too. With {@code reload-on-transaction-fatal-error} the producer re-creates
 *       its client and the message says so; otherwise close it and create a new one.</li>
 * </ul>
 */
public class TransactionException extends WaterDropException {

    private final KafkaError error;
    private final boolean fatal;
    private final boolean retriable;
    private final boolean abortRequired;
    private final boolean aborted;

    public TransactionException(String message, KafkaError error, boolean fatal, boolean retriable, boolean abortRequired) {
        this(message, error, fatal, retriable, abortRequired, false, null);
    }

    public TransactionException(String message, KafkaError error, boolean fatal, boolean retriable,
            boolean abortRequired, boolean aborted, Throwable cause) {
        super(message + ": " + error, cause);
        this.error = error;
        this.fatal = fatal;
        this.retriable = retriable;
        this.abortRequired = abortRequired;
        this.aborted = aborted;
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

    /** Whether the transaction was aborted after this error (nothing it produced becomes visible). */
    public boolean isAborted() {
        return aborted;
    }
}
