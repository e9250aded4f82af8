package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.PollingMode;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.ProducerState;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.internal.polling.PollingStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one producer's librdkafka client: its state, the lock that keeps every native call away from a
 * destroyed handle, and connect, close and reopen. Clients are made by {@link ClientFactory}; {@link CloseOnce}
 * makes close happen once.
 *
 * <p>Native safety: every call into the handle from an application thread runs under the read lock after a state
 * check ({@link #withHandle}); the handle is destroyed under the write lock only after polling has stopped.
 */
public final class ClientLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClientLifecycle.class);
    static final Duration POLLER_RELEASE_TIMEOUT = Duration.ofSeconds(30);
    /** What made a disconnected producer reconnect, as {@code producer.reconnected} names it. */
    public static final String PRODUCE = "produce", TRANSACTION = "transaction", CONNECT = "connect";

    private final String name;
    private final PollingMode mode;
    private final EventSink events;
    private final DeliveryTracker deliveries;
    private final ClientFactory factory;
    private final CloseOnce closeOnce;

    /** Read lock: any call into the native handle. Write lock: state changes that make the handle unusable. */
    private final ReentrantReadWriteLock handleLock = new ReentrantReadWriteLock();
    private final ReentrantLock lifecycleLock = new ReentrantLock();
    private volatile ProducerState state = ProducerState.INITIAL;
    /** The client while there is one ({@code null} before connect, after a reopen and while disconnected). */
    private volatile ClientFactory.OpenClient current;
    /** Idle disconnect, when switched on ({@link #disconnectWhenIdle}); {@code null} otherwise. */
    private IdleDisconnect idle;
    /** librdkafka raised a fatal error on the current client (its error event said so). */
    private volatile boolean fatalRaised;

    /**
     * @param pollingFactory builds the polling strategy (thread or fd) that will serve a new client's callbacks
     * @param topics topics whose metadata each new client fetches right after connect (see {@link DeclaredTopics})
     * @param maxWait how long that fetch may take
     */
    public ClientLifecycle(String name, PollingMode mode, Map<String, String> kafka, EventSink events,
            DeliveryTracker deliveries, Function<PolledClient, PollingStrategy> pollingFactory, List<String> topics,
            Duration maxWait) {
        this.closeOnce = new CloseOnce(name, this);
        this.factory = new ClientFactory(name, kafka, events, deliveries, pollingFactory, topics, maxWait);
        this.name = name;
        this.mode = mode;
        this.events = events;
        this.deliveries = deliveries;
    }

    public ProducerState state() {
        return state;
    }

    /**
     * Switches idle disconnect on; called once, before the first connect.
     *
     * @param outsideTransaction runs the disconnect only while no transaction is open (and none can start)
     * @param reset clears per-client state (transactions, caches) before any call can use the next client
     */
    public void disconnectWhenIdle(Duration timeout, Predicate<BooleanSupplier> outsideTransaction, Runnable reset) {
        this.idle = new IdleDisconnect(name, timeout, this, deliveries, events, outsideTransaction, reset);
    }

    /** Creates the librdkafka client and starts polling; does nothing when already connected. */
    public void connect() {
        connect(CONNECT);
    }

    /**
     * {@link #connect()} on behalf of {@code trigger} ({@link #PRODUCE}, {@link #TRANSACTION}, {@link #CONNECT}), which
     * the {@code producer.reconnected} event names when this reconnects after an idle disconnect.
     */
    public void connect(String trigger) {
        if (state == ProducerState.CONNECTED) {
            return;
        }
        long disconnectedFor = -1;
        lifecycleLock.lock();
        try {
            if (state == ProducerState.CONNECTED) {
                return;
            }
            boolean reconnect = state == ProducerState.DISCONNECTED;
            if (state != ProducerState.INITIAL && !reconnect) {
                throw closedException();
            }
            try {
                factory.open(this, open -> current = open);
            } catch (RuntimeException | Error e) {
                current = null;
                throw e;
            }
            state = ProducerState.CONNECTED;
            if (idle != null) {
                disconnectedFor = reconnect ? idle.disconnectedForNanos() : -1;
                idle.connected();
            }
        } finally {
            lifecycleLock.unlock();
        }
        if (disconnectedFor >= 0) {
            events.emit(new Event.ProducerReconnected(name, trigger, Duration.ofNanos(disconnectedFor)));
        } else {
            deliveries.counters().connected(); // ops
            events.emit(new Event.ProducerConnected(name, mode));
        }
        // Under the read lock: a close waits for the metadata request (max-wait-timeout at most) instead of
        // destroying the handle under it.
        whileOpen(c -> {
            factory.connected(c);
            return null;
        }, null, false);
    }

    /** The polling loop's view of the current client ({@code null} before connect); a seam for tests. */
    public PolledClient polledClient() {
        ClientFactory.OpenClient open = current;
        return open == null ? null : open.callbacks();
    }

    /**
     * Runs {@code call} on the handle under the read lock; throws when closed. Reconnects when disconnected for
     * idleness: a disconnect can slip in between a produce's connect and this call (the message then goes to the
     * next client).
     */
    public <T> T withHandle(Function<NativeProducer, T> call) {
        while (true) {
            handleLock.readLock().lock();
            try {
                if (connectedOrThrow()) {
                    return call.apply(current.client());
                }
            } finally {
                handleLock.readLock().unlock();
            }
            connect(PRODUCE);
        }
    }

    /** {@link #withHandle} for a call that returns an int (no boxing on the produce path). */
    public int withHandleInt(ToIntFunction<NativeProducer> call) {
        while (true) {
            handleLock.readLock().lock();
            try {
                if (connectedOrThrow()) {
                    return call.applyAsInt(current.client());
                }
            } finally {
                handleLock.readLock().unlock();
            }
            connect(PRODUCE);
        }
    }

    /** True when connected, false when disconnected for idleness (reconnect), else throws: the producer is closed. */
    private boolean connectedOrThrow() {
        ProducerState s = state;
        if (s != ProducerState.CONNECTED && s != ProducerState.DISCONNECTED) {
            throw closedException();
        }
        return s == ProducerState.CONNECTED;
    }

    /** {@code call} while the handle exists (connected or closing), else {@code otherwise}. */
    public <T> T whileOpen(Function<NativeProducer, T> call, T otherwise, boolean closingToo) {
        handleLock.readLock().lock();
        try {
            ProducerState s = state;
            return s == ProducerState.CONNECTED || closingToo && s == ProducerState.CLOSING
                    ? call.apply(current.client()) : otherwise;
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** Whether the calling thread serves this producer's queue (waiting there for a report would wait forever). */
    public boolean isPollingThread() {
        ClientFactory.OpenClient open = current;
        return open != null && open.polling().isPollingThread();
    }

    /** Called when librdkafka reports a fatal error on {@code failed}; ignored unless it is the current client. */
    void fatalErrorRaised(NativeProducer failed) {
        ClientFactory.OpenClient open = current;
        if (open != null && failed == open.client()) {
            fatalRaised = true;
        }
    }

    /** Whether the current client raised a fatal error (it can never recover; a new client can). */
    public boolean hasFatalError() {
        return fatalRaised;
    }

    /** Why nobody polls the current client any more although it is open, or {@code null} while it is served. */
    public Throwable pollingFailure() {
        ClientFactory.OpenClient open = current;
        return open == null ? null : open.polling().failure();
    }

    /**
     * Waits until librdkafka has nothing queued or in flight, or {@code timeout} passed.
     *
     * @return true when nothing is left in flight
     */
    public boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int outstanding;
            handleLock.readLock().lock();
            try {
                if (state == ProducerState.CLOSED || state == ProducerState.DISCONNECTED) {
                    return deliveries.isEmpty();
                }
                outstanding = current.client().outqLen();
            } finally {
                handleLock.readLock().unlock();
            }
            if (outstanding == 0) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            // The polling thread signals after every poll that served something; the cap covers a signal that
            // landed between the check above and this wait.
            deliveries.awaitProgress(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }

    // ------------------------------------------------------------------ close, reopen

    /** Closing: once, asynchronously, or for a fatal-error reload. */
    public CloseOnce closing() {
        return closeOnce;
    }

    /** The close steps (see {@link CloseOnce#close}): flush or purge, stop polling, destroy. */
    int closeClient(Duration timeout, boolean force) {
        boolean disconnected;
        lifecycleLock.lock(); // no connect() may run concurrently
        try {
            handleLock.writeLock().lock();
            try {
                if (state == ProducerState.INITIAL) {
                    state = ProducerState.CLOSED;
                    return 0;
                }
                disconnected = state == ProducerState.DISCONNECTED;
                state = disconnected ? ProducerState.CLOSED : ProducerState.CLOSING;
            } finally {
                handleLock.writeLock().unlock();
            }
            if (idle != null) {
                idle.closing();
            }
        } finally {
            lifecycleLock.unlock();
        }
        events.emit(new Event.ProducerClosing(name));
        if (idle != null) {
            idle.awaitTeardown(); // close returns only once every client it had is destroyed
        }
        if (disconnected) {
            deliveries.counters().closed(); // ops
            events.emit(new Event.ProducerClosed(name, 0));
            return 0;
        }
        ClientFactory.OpenClient open = current;
        boolean flushed = !force && awaitDrained(timeout);
        if (!flushed) {
            // Count the purge reports rather than rd_kafka_outq_len: outq_len also counts error, log and
            // statistics events waiting in the main queue, which are not messages.
            deliveries.resetPurged();
            open.client().purge();
        }
        boolean released = open.polling().stop(POLLER_RELEASE_TIMEOUT); // serves the purge reports first
        handleLock.writeLock().lock();
        try {
            state = ProducerState.CLOSED;
            if (released) {
                open.client().destroy();
            } else {
                // A polling thread may still touch the handle: leaking it is the only safe choice.
                log.error("Producer '{}': polling did not stop; the librdkafka handle is left undestroyed", name);
            }
        } finally {
            handleLock.writeLock().unlock();
        }
        int undelivered = (flushed ? 0 : deliveries.purged()) + deliveries.failRemaining();
        if (undelivered > 0) {
            events.emit(new Event.ErrorOccurred(name, "producer.close", null, new IllegalStateException(
                    undelivered + " messages were not delivered before close and were purged"), null));
        }
        deliveries.counters().closed(); // ops
        events.emit(new Event.ProducerClosed(name, undelivered));
        return undelivered;
    }

    /** Runs {@code action} under the lifecycle lock: no connect, close or disconnect runs meanwhile. */
    <T> T underLifecycleLock(Supplier<T> action) {
        lifecycleLock.lock();
        try {
            return action.get();
        } finally {
            lifecycleLock.unlock();
        }
    }

    /**
     * Makes a closed client startable again; {@code reset} runs first, while the producer is still closed, so
     * per-client state (transactions, caches) is clean before any call can use the next client.
     *
     * @throws IllegalStateException unless the producer is {@link ProducerState#CLOSED}
     */
    public void reopen(Runnable reset) {
        lifecycleLock.lock();
        try {
            if (state != ProducerState.CLOSED) {
                throw new IllegalStateException("Producer '" + name + "' is " + state + "; only a closed producer "
                        + "can be reopened");
            }
            handleLock.writeLock().lock();
            try {
                current = null;
                closeOnce.reset();
                fatalRaised = false;
                reset.run();
                state = ProducerState.INITIAL;
            } finally {
                handleLock.writeLock().unlock();
            }
        } finally {
            lifecycleLock.unlock();
        }
    }

    // ------------------------------------------------------------------ idle disconnect

    /**
     * Idle disconnect's flip from CONNECTED to DISCONNECTED, when nothing uses the client (see
     * {@link IdleDisconnect}); returns the client to tear down, or {@code null} when it stays.
     */
    ClientFactory.OpenClient releaseIfIdle(long sequence) {
        if (!lifecycleLock.tryLock()) {
            return null; // a connect, close or reload is under way
        }
        try {
            if (!handleLock.writeLock().tryLock()) {
                return null; // a call is in the client right now
            }
            try {
                ClientFactory.OpenClient open = current;
                if (state != ProducerState.CONNECTED || fatalRaised || open.polling().failure() != null
                        || deliveries.sequence() != sequence || !deliveries.isEmpty()
                        || open.client().outqLen() > 0) {
                    return null;
                }
                idle.released();
                state = ProducerState.DISCONNECTED;
                current = null;
                return open;
            } finally {
                handleLock.writeLock().unlock();
            }
        } finally {
            lifecycleLock.unlock();
        }
    }

    public ProducerClosedException closedException() {
        return new ProducerClosedException("Producer '" + name + "' is " + state.name().toLowerCase()
                + " and takes no more calls; create a new producer");
    }
}
