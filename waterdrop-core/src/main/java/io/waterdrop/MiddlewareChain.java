package io.waterdrop;

import java.util.Arrays;
import java.util.List;

/**
 * A producer's ordered {@link Middleware}s ({@link Producer#middleware()}), run first to last on the producing
 * thread before a message is validated and sent. Thread-safe and copy-on-write: changes apply to the next produce
 * call and never to one already running; with no middleware, producing costs one volatile read more.
 */
public final class MiddlewareChain {

    private static final Middleware[] NONE = {};

    private final String producer;
    private volatile Middleware[] chain = NONE;

    MiddlewareChain(String producer, List<Middleware> initial) {
        this.producer = producer;
        initial.forEach(this::append);
    }

    /** Adds a middleware that runs after the present ones. */
    public synchronized MiddlewareChain append(Middleware middleware) {
        Middleware[] next = Arrays.copyOf(chain, chain.length + 1);
        next[chain.length] = checked(middleware);
        chain = next;
        return this;
    }

    /** Adds a middleware that runs before the present ones. */
    public synchronized MiddlewareChain prepend(Middleware middleware) {
        Middleware[] next = new Middleware[chain.length + 1];
        next[0] = checked(middleware);
        System.arraycopy(chain, 0, next, 1, chain.length);
        chain = next;
        return this;
    }

    /** Removes this middleware (the same instance); returns whether it was there. */
    public synchronized boolean remove(Middleware middleware) {
        Middleware[] next = Arrays.stream(chain).filter(m -> m != middleware).toArray(Middleware[]::new);
        boolean removed = next.length != chain.length;
        chain = next;
        return removed;
    }

    /** The middlewares in the order they run. */
    public List<Middleware> list() {
        return List.of(chain);
    }

    public boolean isEmpty() {
        return chain.length == 0;
    }

    private static Middleware checked(Middleware middleware) {
        if (middleware == null) {
            throw new IllegalArgumentException("middleware must not be null");
        }
        return middleware;
    }

    /** Runs every middleware on {@code message}; a rejection or failure becomes a {@link MessageRejectedException}. */
    Message apply(Message message) {
        Middleware[] current = chain;
        Message result = message;
        for (Middleware middleware : current) {
            result = applyOne(middleware, result);
        }
        return result;
    }

    private Message applyOne(Middleware middleware, Message message) {
        Message next;
        try {
            next = middleware.apply(message);
        } catch (MessageRejectedException e) {
            throw e; // a middleware that runs a chain of its own: keep the innermost name
        } catch (InvalidMessageException e) {
            throw new MessageRejectedException(producer, name(middleware), "rejected it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MessageRejectedException(producer, name(middleware), "failed: " + e
                    + "; a middleware rejects a message by throwing InvalidMessageException", e);
        }
        if (next == null) {
            throw new MessageRejectedException(producer, name(middleware), "returned null; return the message (or "
                    + "a changed copy), or throw InvalidMessageException to reject it", null);
        }
        return next;
    }

    /** A name() that throws must not hide the rejection it is needed for. */
    private static String name(Middleware middleware) {
        try {
            return middleware.name();
        } catch (RuntimeException e) {
            return middleware.getClass().getName();
        }
    }
}
