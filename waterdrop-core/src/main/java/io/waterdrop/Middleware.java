package io.waterdrop;

/**
 * A step every message goes through before a producer validates and sends it: add headers, route to another topic,
 * enrich, or reject. Runs on the producing thread, in chain order (see {@link MiddlewareChain}), for every produce
 * method; a transaction's messages included.
 *
 * <pre>{@code
 * producer.middleware().append(Middleware.named("source", message ->
 *         message.toBuilder().header("source", "checkout").build()));
 * }</pre>
 *
 * <p>Return the message, or a changed copy ({@link Message#toBuilder()}). To reject a message, throw an
 * {@link InvalidMessageException} (e.g. {@code new InvalidMessageException("key", "is required for orders")}): the
 * produce call then throws a {@link MessageRejectedException} naming this middleware and the reason, and nothing of
 * that call is sent (for {@code produceMany*}, nothing of the batch). Returning {@code null} or throwing any other
 * {@link RuntimeException} fails the call the same way, typed, with the cause kept; the producer stays usable.
 * Must be thread-safe: any number of threads may produce at once.
 */
@FunctionalInterface
public interface Middleware {

    /**
     * Transforms or checks one message.
     *
     * @param message what the application (or the previous middleware) produced; never {@code null}
     * @return the message to go on with; never {@code null}
     * @throws InvalidMessageException to reject the message
     */
    Message apply(Message message);

    /** The name errors use: by default the class's simple name ({@code lambda in Outer} for a lambda). */
    default String name() {
        Class<?> type = getClass();
        String simple = type.getName().substring(type.getName().lastIndexOf('.') + 1);
        int lambda = simple.indexOf("$$Lambda");
        return lambda >= 0 ? "lambda in " + simple.substring(0, lambda) : simple;
    }

    /** This middleware with a name for errors, e.g. {@code Middleware.named("tenant", m -> ...)}. */
    static Middleware named(String name, Middleware middleware) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("middleware name must not be blank");
        }
        if (middleware == null) {
            throw new IllegalArgumentException("middleware '" + name + "' must not be null");
        }
        return new Middleware() {
            @Override
            public Message apply(Message message) {
                return middleware.apply(message);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return "Middleware[" + name + "]";
            }
        };
    }
}
