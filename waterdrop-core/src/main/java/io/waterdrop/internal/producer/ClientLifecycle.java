package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.PollingMode;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.ProducerState;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.internal.polling.PollingStrategy;
import io.waterdrop.internal.polling.PollingThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
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
    private static final Duration POLLER_RELEASE_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final PollingMode mode;
    private final EventSink events;
    private final DeliveryTracker deliveries;
    private final ClientFactory factory;
    private final CloseOnce closeOnce = new CloseOnce();

    /** Read lock: any call into the native handle. Write lock: state changes that make the handle unusable. */
    private final ReentrantReadWriteLock handleLock = new ReentrantReadWriteLock();
    private final ReentrantLock lifecycleLock = new ReentrantLock();
    private volatile ProducerState state = ProducerState.INITIAL;
    /** The client while there is one ({@code null} before connect and after a reopen). */
    private volatile ClientFactory.OpenClient current;
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
        this.factory = new ClientFactory(name, kafka, events, deliveries, pollingFactory, topics, maxWait);
        this.name = name;
        this.mode = mode;
        this.events = events;
        this.deliveries = deliveries;
    }

    public ProducerState state() {
        return state;
    }

    /** Creates the librdkafka client and starts polling; does nothing when already connected. */
    public void connect() {
        if (state == ProducerState.CONNECTED) {
            return;
        }
        lifecycleLock.lock();
        try {
            if (state == ProducerState.CONNECTED) {
                return;
            }
            if (state != ProducerState.INITIAL) {
                throw closedException();
            }
            try {
                factory.open(this, open -> current = open);
            } catch (RuntimeException | Error e) {
                current = null;
                throw e;
            }
            state = ProducerState.CONNECTED;
        } finally {
            lifecycleLock.unlock();
        }
        deliveries.counters().connected(); // ops
        events.emit(new Event.ProducerConnected(name, mode));
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

    /** Runs {@code call} on the handle under the read lock, or throws when the producer is not connected. */
    public <T> T withHandle(Function<NativeProducer, T> call) {
        handleLock.readLock().lock();
        try {
            if (state != ProducerState.CONNECTED) {
                throw closedException();
            }
            return call.apply(current.client());
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** {@link #withHandle} for a call that returns an int (no boxing on the produce path). */
    public int withHandleInt(ToIntFunction<NativeProducer> call) {
        handleLock.readLock().lock();
        try {
            if (state != ProducerState.CONNECTED) {
                throw closedException();
            }
            return call.applyAsInt(current.client());
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** {@code call} while the handle exists (connected or closing), else {@code otherwise}. */
    public <T> T whileOpen(Function<NativeProducer, T> call, T otherwise, boolean closingToo) {
        handleLock.readLock().lock();
        try {
            ProducerState s = state;
            return s == ProducerState.CONNECTED || closingToo && s == ProducerState.CLOSING ? call.apply(current.client())
                    : otherwise;
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
                if (state == ProducerState.CLOSED) {
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

    /** Closes on a new thread ({@code waterdrop.closer#<name>}); safe from anywhere, delivery callbacks included. */
    public CompletableFuture<Integer> closeAsync(Duration timeout) {
        CompletableFuture<Integer> started = closeOnce.started();
        if (started != null) {
            return started;
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                result.complete(close(timeout, false));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "waterdrop.closer#" + name);
        closer.setDaemon(false); // let the flush finish even when the application is exiting
        closer.start();
        return result;
    }

    /**
     * Closes once; concurrent and later calls wait for the first and return its result.
     *
     * @param force purge at once instead of flushing
     * @return how many messages were left undelivered
     */
    public int close(Duration timeout, boolean force) {
        // Any polling thread, not only this producer's: closing blocks, and a blocked polling thread stalls every
        // producer it serves. The rule is simple to follow in callbacks: closeAsync() there.
        if (PollingThreads.isPollingThread() || isPollingThread()) {
            throw new IllegalStateException("Producer '" + name + "' cannot be closed on "
                    + Thread.currentThread().getName() + ": close() waits for that thread to release the producer. "
                    + "Use closeAsync() in callbacks, or close from an application thread");
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        CompletableFuture<Integer> started = closeOnce.startOrJoin(result);
        if (started != null) {
            return started.join();
        }
        try {
            int undelivered = doClose(timeout, force);
            result.complete(undelivered);
            return undelivered;
        } catch (Throwable t) {
            result.completeExceptionally(t);
            throw t;
        }
    }

    private int doClose(Duration timeout, boolean force) {
        lifecycleLock.lock(); // no connect() may run concurrently
        try {
            handleLock.writeLock().lock();
            try {
                if (state == ProducerState.INITIAL) {
                    state = ProducerState.CLOSED;
                    return 0;
                }
                state = ProducerState.CLOSING;
            } finally {
                handleLock.writeLock().unlock();
            }
        } finally {
            lifecycleLock.unlock();
        }
        events.emit(new Event.ProducerClosing(name));
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

    /**
     * Closes the client without flushing (its in-flight messages fail with purge errors) so that
     * {@link #reopenAfterReload} can connect a new one; does nothing unless the producer is connected and nobody is
     * closing it.
     *
     * @return whether this call closed the client
     */
    public boolean closeForReload() {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        if (!closeOnce.startReload(result, () -> state == ProducerState.CONNECTED)) {
            return false;
        }
        try {
            result.complete(doClose(Duration.ZERO, true));
        } catch (Throwable t) {
            result.completeExceptionally(t);
            throw t;
        }
        return true;
    }

    /**
     * Connects a new client after {@link #closeForReload}, unless a {@code close()} joined that close meanwhile: the
     * application asked for the producer to be closed, so it stays closed.
     *
     * @return whether a new client was connected
     */
    public boolean reopenAfterReload(Runnable reset) {
        lifecycleLock.lock();
        try {
            // Brief under the close lock: the client is closed, so nothing holds the handle lock for long.
            if (!closeOnce.endReload(() -> reopen(reset))) {
                return false;
            }
        } finally {
            lifecycleLock.unlock();
        }
        connect();
        return true;
    }

    public ProducerClosedException closedException() {
        return new ProducerClosedException("Producer '" + name + "' is " + state.name().toLowerCase()
                + " and takes no more calls; create a new producer");
    }
}
