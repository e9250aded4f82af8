package io.waterdrop;

/**
 * A {@link Middleware} rejected a message (threw an {@link InvalidMessageException}), returned {@code null}, or
 * failed with another exception (kept as the cause). Nothing of the produce call was sent and the producer stays
 * usable. {@link #field()} is {@code middleware}; {@link #middleware()} names the one that stopped the message.
 */
public class MessageRejectedException extends InvalidMessageException {

    private final String middleware;

    public MessageRejectedException(String producer, String middleware, String reason, Throwable cause) {
        super("middleware", "'" + middleware + "' of producer '" + producer + "' " + reason);
        this.middleware = middleware;
        if (cause != null) {
            initCause(cause);
        }
    }

    /** The name of the middleware that rejected or failed ({@link Middleware#name()}). */
    public String middleware() {
        return middleware;
    }
}
