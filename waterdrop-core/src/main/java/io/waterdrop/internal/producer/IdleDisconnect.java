package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer's idle disconnect ({@code idle-disconnect-timeout}): {@link IdleWatch} finds it idle on the
 * {@link IdleTimer}'s thread, {@link ClientLifecycle#releaseIfIdle} checks again and flips it to DISCONNECTED, and this
 * tears the released client down: its polling stops (the Poller's release hand-shake, or the polling thread ends),
 * then rd_kafka_destroy ends librdkafka's threads and closes its sockets. The next produce or transaction reconnects
 * through {@link ClientFactory}, like any connect.
 *
 * <p>Threads: the flip happens under the lifecycle lock and the handle's write lock (both only tried, so the timer
 * never waits behind a producer), inside the transaction lock (so no transaction is open or starts). A produce that
 * got in first has moved the sequence or holds the read lock, so the client stays; one that comes after sees
 * DISCONNECTED and reconnects. The teardown runs outside the lifecycle lock: a produce from a Poller thread must never
 * wait for its own Poller's release hand-shake. The released client is unreachable by then (no {@code current}), so
 * nothing but its own teardown touches it; close waits for the teardown to finish.
 */
final class IdleDisconnect {

    private static final Logger log = LoggerFactory.getLogger(IdleDisconnect.class);

    private final String name;
    private final ClientLifecycle lifecycle;
    private final EventSink events;
    private final IdleWatch watch;
    private final Predicate<BooleanSupplier> outsideTransaction;
    private final Runnable resetForNewClient;
    /** Set by {@link #released()} under the lifecycle lock; read by connect under it. */
    private long disconnectedAt;
    /** Completes when the client released last is destroyed. */
    private volatile CompletableFuture<Void> teardown;

    IdleDisconnect(String name, Duration timeout, ClientLifecycle lifecycle, DeliveryTracker deliveries,
            EventSink events, Predicate<BooleanSupplier> outsideTransaction, Runnable resetForNewClient) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.events = events;
        this.outsideTransaction = outsideTransaction;
        this.resetForNewClient = resetForNewClient;
        this.watch = new IdleWatch(name, timeout, deliveries, events, this);
    }

    /** A client connected (lifecycle lock held): idle time counts from now. */
    void connected() {
        watch.restart(System.nanoTime());
        IdleTimer.SHARED.watch(watch);
    }

    /** The producer is closing (lifecycle lock held): no more checks. */
    void closing() {
        IdleTimer.SHARED.unwatch(watch);
    }

    /**
     * Right before the flip to DISCONNECTED (lifecycle lock and the handle's write lock held); the reset runs first,
     * so that if it throws nothing has changed and no teardown is awaited.
     */
    void released() {
        resetForNewClient.run(); // transactions start uninitialised, caches empty, on the next client
        disconnectedAt = System.nanoTime();
        teardown = new CompletableFuture<>();
        IdleTimer.SHARED.unwatch(watch);
    }

    long disconnectedForNanos() {
        return System.nanoTime() - disconnectedAt;
    }

    /** On the timer thread: the producer looks idle since {@code sequence}; releases its client if it is. */
    void disconnectIfIdle(long sequence, Duration idleFor) {
        ClientFactory.OpenClient[] released = new ClientFactory.OpenClient[1];
        outsideTransaction.test(() -> (released[0] = lifecycle.releaseIfIdle(sequence)) != null);
        if (released[0] == null) {
            return;
        }
        CompletableFuture<Void> done = teardown;
        try {
            events.emit(new Event.ProducerDisconnected(name, "idle for " + idleFor.toMillis()
                    + " ms, over idle-disconnect-timeout (" + watch.timeout().toMillis() + " ms)", idleFor));
            if (released[0].polling().stop(ClientLifecycle.POLLER_RELEASE_TIMEOUT)) {
                released[0].client().destroy();
            } else {
                // A polling thread may still touch the handle: leaking it is the only safe choice.
                log.error("Producer '{}': polling did not stop; the idle librdkafka handle is left undestroyed", name);
            }
        } finally {
            done.complete(null);
        }
    }

    /**
     * Waits until the client released last (if any) is destroyed; not on the timer thread, where a
     * {@code producer.disconnected} listener that closes the producer would wait for its own teardown (it follows
     * right after that listener returns).
     */
    void awaitTeardown() {
        CompletableFuture<Void> pending = teardown;
        if (pending != null && !IdleTimer.SHARED.isTimerThread()) {
            pending.join();
        }
    }
}
