package io.waterdrop;

import io.waterdrop.internal.client.NativeEvents;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.metrics.ProducerCounters;
import io.waterdrop.internal.metrics.SendObservers;
import io.waterdrop.internal.polling.FdPolling;
import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.internal.polling.PollerLoop;
import io.waterdrop.internal.polling.PollingStrategy;
import io.waterdrop.internal.polling.ThreadPolling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka producer backed by librdkafka.
 *
 * <pre>{@code
 * Producer producer = new Producer(ProducerConfig.builder()
 *         .bootstrapServers("localhost:9092")
 *         .build());
 * DeliveryReport report = producer.produceSync(Message.of("events", "hello"));
 * producer.close();
 * }</pre>
 *
 * <p>The librdkafka client is created on first use (or by {@link #connect()}), so listeners subscribed right after
 * construction see every event. Thread-safe: any number of threads may produce at once. Delivery reports,
 * statistics and errors arrive on the polling thread: the producer's own thread in {@link PollingMode#THREAD}, its
 * {@link Poller}'s in {@link PollingMode#FD}.
 *
 * <p>Native safety: every call into librdkafka happens under a read lock while the producer is usable, and the
 * handle is destroyed under the write lock only after polling has stopped, so no thread can touch a destroyed handle.
 */
public final class Producer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Producer.class);
    private static final Logger librdkafkaLog = LoggerFactory.getLogger("io.waterdrop.librdkafka");
    private static final Duration CLOSE_DRAIN_BOUND = Duration.ofSeconds(5);
    private static final Duration POLLER_RELEASE_TIMEOUT = Duration.ofSeconds(30);
    private static final long PARTITION_COUNT_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final byte[] IO_EVENT_PAYLOAD = {1};

    private final ProducerConfig config;
    private final String name;
    private final Monitor monitor;
    private final Map<String, String> kafka;

    /** Read lock: any call into the native handle. Write lock: state changes that make the handle unusable. */
    private final ReentrantReadWriteLock handleLock = new ReentrantReadWriteLock();
    private final ReentrantLock lifecycleLock = new ReentrantLock();
    private volatile ProducerState state = ProducerState.INITIAL;
    private NativeProducer client;
    private PollingStrategy polling;
    private CompletableFuture<Integer> closeResult;

    private final ConcurrentHashMap<Long, DeliveryHandle> pending = new ConcurrentHashMap<>();
    private final AtomicLong opaqueSequence = new AtomicLong();
    /** Messages whose report carried a purge error since {@link #doClose} purged; the close's undelivered count. */
    private final AtomicInteger purged = new AtomicInteger();
    private final DeliverySignal deliverySignal = new DeliverySignal();
    private final Map<String, long[]> partitionCounts = new ConcurrentHashMap<>();

    // ops: counters (metrics, health) and send observers (tracing)
    private final ProducerCounters counters = new ProducerCounters();
    private final SendObservers sendObservers = new SendObservers();

    private final ReentrantLock transactionLock = new ReentrantLock();
    private volatile Thread transactionOwner;
    private boolean transactionsInitialized;

    /**
     * Builds a producer and checks every librdkafka property (without connecting).
     *
     * @throws ConfigurationException naming the property librdkafka rejected
     * @throws LibraryUnavailableException when librdkafka is missing or too old
     */
    public Producer(ProducerConfig config) {
        this.config = config;
        this.name = config.name();
        this.monitor = new Monitor(name);
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("client.id", "waterdrop-" + name);
        effective.putAll(config.kafka());
        this.kafka = Map.copyOf(effective);
        NativeProducer.validate(kafka);
    }

    /** Builds and connects a producer. */
    public static Producer create(ProducerConfig config) {
        Producer producer = new Producer(config);
        producer.connect();
        return producer;
    }

    public String name() {
        return name;
    }

    public ProducerConfig config() {
        return config;
    }

    public ProducerState state() {
        return state;
    }

    /** Events of this producer; subscribe before {@link #connect()} to see {@code producer.connected}. */
    public Monitor monitor() {
        return monitor;
    }

    /** The loaded librdkafka's version, e.g. {@code 2.0.2}. */
    public static String librdkafkaVersion() {
        return io.waterdrop.internal.nativelib.NativeLibraries.librdkafkaVersion();
    }

    /** How this producer is polled. */
    public PollingInfo pollingInfo() {
        if (config.pollingMode() == PollingMode.FD) {
            Poller poller = config.poller();
            return new PollingInfo(PollingMode.FD, poller.threadName(), poller.id(), config.fdMaxTime(),
                    config.fdPeriodicPollInterval(), null);
        }
        return new PollingInfo(PollingMode.THREAD, "waterdrop.native_kafka#" + name, -1, null, null,
                config.threadPollTimeout());
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
            Callbacks callbacks = new Callbacks();
            NativeProducer created = NativeProducer.create(name, kafka, callbacks);
            PollingStrategy strategy;
            try {
                strategy = config.pollingMode() == PollingMode.FD
                        ? new FdPolling(config.poller().loop(), callbacks, config.fdMaxTime(),
                                config.fdPeriodicPollInterval(), CLOSE_DRAIN_BOUND)
                        : new ThreadPolling(callbacks, config.threadPollTimeout(), CLOSE_DRAIN_BOUND);
                client = created;
                polling = strategy;
                strategy.start();
            } catch (RuntimeException e) {
                client = null;
                polling = null;
                created.destroy();
                throw e;
            }
            state = ProducerState.CONNECTED;
        } finally {
            lifecycleLock.unlock();
        }
        counters.connected(); // ops
        monitor.emit(new Event.ProducerConnected(name, config.pollingMode()));
    }

    // ------------------------------------------------------------------ producing

    /**
     * Hands a message to librdkafka and returns at once with a handle on its delivery. Waits (with back-off, up to
     * {@code queue-full-timeout}) while librdkafka's queue is full.
     *
     * @throws InvalidMessageException when the message is invalid (nothing was sent)
     * @throws QueueFullException when the queue stayed full too long (the message was not accepted)
     * @throws ProduceException when librdkafka refused the message outright (e.g. unknown partition)
     * @throws ProducerClosedException after close
     */
    public DeliveryHandle produceAsync(Message message) {
        validate(message);
        DeliveryHandle handle = send(message);
        produced(message, false);
        return handle;
    }

    /**
     * Produces and waits for the broker's acknowledgement, up to {@code max-wait-timeout}.
     *
     * @throws ProduceException when delivery failed, with librdkafka's error
     * @throws DeliveryTimeoutException when no report came in time
     */
    public DeliveryReport produceSync(Message message) {
        validate(message);
        rejectWaitOnPollingThread("produceSync()");
        DeliveryHandle handle = send(message);
        produced(message, true);
        return handle.await();
    }

    /**
     * Produces every message asynchronously. All messages are validated first: an invalid one fails the call before
     * anything is sent. A message librdkafka refuses gets a handle that is already failed, so the handles of the
     * messages accepted before it are never lost.
     */
    public List<DeliveryHandle> produceManyAsync(List<Message> messages) {
        messages.forEach(this::validate);
        List<DeliveryHandle> handles = new ArrayList<>(messages.size());
        for (Message message : messages) {
            handles.add(sendOrFailedHandle(message));
        }
        return handles;
    }

    /**
     * Produces every message and waits for every report (the whole batch within {@code max-wait-timeout}).
     *
     * @throws ProduceManyException listing EVERY failed message, with the reports of the delivered ones
     */
    public List<DeliveryReport> produceManySync(List<Message> messages) {
        rejectWaitOnPollingThread("produceManySync()");
        List<DeliveryHandle> handles = produceManyAsync(messages);
        long deadline = System.nanoTime() + config.maxWaitTimeout().toNanos();
        List<DeliveryReport> reports = new ArrayList<>(handles.size());
        List<ProduceManyException.Failure> failures = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            DeliveryHandle handle = handles.get(i);
            try {
                reports.add(handle.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
            } catch (WaterDropException e) {
                failures.add(new ProduceManyException.Failure(i, handle.message(), e));
            }
        }
        if (!failures.isEmpty()) {
            throw new ProduceManyException(name, handles.size(), failures, reports);
        }
        return reports;
    }

    private DeliveryHandle sendOrFailedHandle(Message message) {
        try {
            DeliveryHandle handle = send(message);
            produced(message, false);
            return handle;
        } catch (ProduceException | QueueFullException e) {
            DeliveryHandle failed = new DeliveryHandle(name, message, config.maxWaitTimeout());
            failed.completeExceptionally(e);
            return failed;
        }
    }

    /**
     * Waiting for a delivery report on the thread that delivers it would only ever end in a timeout: fail at once,
     * before anything is sent.
     */
    private void rejectWaitOnPollingThread(String call) {
        PollingStrategy current = polling;
        if (current != null && current.isPollingThread()) {
            throw new IllegalStateException(call + " cannot run on " + Thread.currentThread().getName()
                    + ": that thread delivers the reports " + call + " waits for. Use produceAsync() in callbacks, "
                    + "or call it from an application thread");
        }
    }

    private void produced(Message message, boolean sync) {
        if (monitor.hasListeners()) {
            monitor.emit(new Event.MessageProduced(name, message, sync));
        }
    }

    private void validate(Message message) {
        if (message == null) {
            throw new InvalidMessageException("message", "is null");
        }
        byte[] payload = message.payload();
        if (payload != null && payload.length > config.maxPayloadSize()) {
            throw new InvalidMessageException("payload", "is " + payload.length + " bytes, over max-payload-size "
                    + config.maxPayloadSize() + "; send smaller messages or raise max-payload-size (and the "
                    + "broker's message.max.bytes)");
        }
    }

    /** ops: with send observers (tracing), they see every message and its outcome. */
    private DeliveryHandle send(Message message) {
        if (sendObservers.isEmpty()) {
            return sendToClient(message, null);
        }
        SendObservers.Send observed = sendObservers.begin(name, message);
        try {
            return sendToClient(observed.message(), observed);
        } catch (RuntimeException e) {
            observed.complete(null, e);
            throw e;
        }
    }

    /** ops: tells the send observers the outcome, before the handle completes (so a waiter sees it stopped). */
    private void observed(DeliveryHandle handle, DeliveryReport report, Throwable failure) {
        Throwable thrown = handle.observed.complete(report, failure);
        if (thrown != null) {
            monitor.emit(new Event.ErrorOccurred(name, "callbacks.observer.error", null, thrown, handle.message()));
        }
    }

    private DeliveryHandle sendToClient(Message message, SendObservers.Send observed) {
        connect();
        int partition = message.partitionKey() != null ? partitionFor(message) : message.partition();
        DeliveryHandle handle = new DeliveryHandle(name, message, config.maxWaitTimeout());
        handle.deliveryStart = counters.deliveryStart(); // ops
        handle.observed = observed; // ops
        long opaque = opaqueSequence.incrementAndGet();
        pending.put(opaque, handle); // before produce: the report may arrive before produceva returns
        long queueFullDeadline = 0;
        long backoffMillis = 1;
        while (true) {
            int err;
            handleLock.readLock().lock();
            try {
                if (state != ProducerState.CONNECTED) {
                    pending.remove(opaque);
                    throw closedException();
                }
                err = client.produce(message, partition, opaque);
            } finally {
                handleLock.readLock().unlock();
            }
            if (err == 0) {
                counters.countProduced(); // ops
                return handle;
            }
            if (err != KafkaError.QUEUE_FULL) {
                pending.remove(opaque);
                throw new ProduceException(name, message, NativeProducer.error(err));
            }
            long now = System.nanoTime();
            if (queueFullDeadline == 0) {
                queueFullDeadline = now + config.queueFullTimeout().toNanos();
                counters.queueFullWait(); // ops
            }
            if (now >= queueFullDeadline) {
                pending.remove(opaque);
                throw new QueueFullException(name, config.queueFullTimeout());
            }
            if (polling.isPollingThread()) {
                // Waiting here would stop the very thread that empties the queue.
                pending.remove(opaque);
                throw new QueueFullException(name, Duration.ZERO);
            }
            deliverySignal.await(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
            backoffMillis = Math.min(100, backoffMillis * 2);
        }
    }

    /** Partition chosen from the partition key with the configured partitioner, as librdkafka would for a key. */
    private int partitionFor(Message message) {
        long now = System.nanoTime();
        long[] cached = partitionCounts.get(message.topic());
        int count;
        if (cached != null && cached[1] > now) {
            count = (int) cached[0];
        } else {
            handleLock.readLock().lock();
            try {
                if (state != ProducerState.CONNECTED) {
                    throw closedException();
                }
                count = client.partitionCount(message.topic(), (int) Math.min(30_000,
                        config.maxWaitTimeout().toMillis()));
            } finally {
                handleLock.readLock().unlock();
            }
            if (count <= 0) {
                return Message.ANY_PARTITION;
            }
            partitionCounts.put(message.topic(), new long[] {count, now + PARTITION_COUNT_TTL_NANOS});
        }
        return client.partitionFor(message.partitionKey(), count, kafka.get("partitioner"));
    }

    // ------------------------------------------------------------------ flush, close

    /**
     * Waits until every message handed to librdkafka got its delivery report, or the timeout passed.
     *
     * @return true when nothing is left in flight
     */
    public boolean flush(Duration timeout) {
        ProducerState s = state;
        if (s == ProducerState.INITIAL) {
            return true;
        }
        if (s == ProducerState.CLOSED) {
            throw closedException();
        }
        rejectWaitOnPollingThread("flush()");
        return awaitDrained(timeout);
    }

    private boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int outstanding;
            handleLock.readLock().lock();
            try {
                if (state == ProducerState.CLOSED) {
                    return pending.isEmpty();
                }
                outstanding = client.outqLen();
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
            deliverySignal.await(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }

    /** Messages handed to librdkafka and not yet reported (0 before connect and after close). */
    public int queueLength() {
        handleLock.readLock().lock();
        try {
            return state == ProducerState.CONNECTED || state == ProducerState.CLOSING ? client.outqLen() : 0;
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** Delivery handles not completed yet. */
    public int pendingDeliveries() {
        return pending.size();
    }

    /** librdkafka's fatal error (e.g. a fenced idempotent or transactional producer), or {@code null}. */
    public KafkaError fatalError() {
        handleLock.readLock().lock();
        try {
            return state == ProducerState.CONNECTED ? client.fatalError() : null;
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** ops: a snapshot of this producer's counters (produced, acknowledged, failed, last error, brokers). */
    public ProducerMetrics metrics() {
        return counters.snapshot(pending.size());
    }

    /**
     * ops: adds an observer that sees every message this producer sends and its outcome (tracing); close the
     * returned subscription to remove it.
     */
    public Monitor.Subscription addSendObserver(SendObserver observer) {
        Runnable remove = sendObservers.add(observer);
        return remove::run;
    }

    /** ops: the live counters, for the meter binder. */
    ProducerCounters counters() {
        return counters;
    }

    /** {@link #close(Duration)} with the configured {@code close-timeout}. */
    @Override
    public void close() {
        close(config.closeTimeout());
    }

    /**
     * Stops accepting messages, flushes for up to {@code timeout}, purges what is still undelivered (each purged
     * message's handle fails with a purge error), stops polling and destroys the librdkafka client. Idempotent:
     * later and concurrent calls wait for the first and return its result.
     *
     * @return how many messages were left undelivered and purged (0 on a clean close)
     * @throws IllegalStateException when called on a polling thread (it would wait for itself): use
     *     {@link #closeAsync()} there
     */
    public int close(Duration timeout) {
        return closeWith(timeout, false);
    }

    /** Closes without flushing: purges everything queued or in flight. Returns how many messages were purged. */
    public int forceClose() {
        return closeWith(Duration.ZERO, true);
    }

    /**
     * Closes on a new thread; safe from anywhere, delivery callbacks included. Returns the undelivered count.
     */
    public CompletableFuture<Integer> closeAsync() {
        lifecycleLock.lock();
        try {
            if (closeResult != null) {
                return closeResult;
            }
        } finally {
            lifecycleLock.unlock();
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                result.complete(close(config.closeTimeout()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "waterdrop.closer#" + name);
        closer.setDaemon(false); // let the flush finish even when the application is exiting
        closer.start();
        return result;
    }

    private int closeWith(Duration timeout, boolean force) {
        // Any Poller thread, not only this producer's: closing blocks, and a blocked Poller stalls every producer
        // it serves. The rule is simple to follow in callbacks: closeAsync() there.
        if (PollerLoop.onPollerThread() || (polling != null && polling.isPollingThread())) {
            throw new IllegalStateException("Producer '" + name + "' cannot be closed on "
                    + Thread.currentThread().getName() + ": close() waits for that thread to release the producer. "
                    + "Use closeAsync() in callbacks, or close from an application thread");
        }
        CompletableFuture<Integer> result;
        boolean owner = false;
        lifecycleLock.lock();
        try {
            if (closeResult == null) {
                closeResult = new CompletableFuture<>();
                owner = true;
            }
            result = closeResult;
        } finally {
            lifecycleLock.unlock();
        }
        if (!owner) {
            return result.join();
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
        monitor.emit(new Event.ProducerClosing(name));
        boolean flushed = !force && awaitDrained(timeout);
        if (!flushed) {
            // Count the purge reports rather than rd_kafka_outq_len: outq_len also counts error, log and
            // statistics events waiting in the main queue, which are not messages.
            purged.set(0);
            client.purge();
        }
        boolean released = polling.stop(POLLER_RELEASE_TIMEOUT); // serves the purge reports before returning
        handleLock.writeLock().lock();
        try {
            state = ProducerState.CLOSED;
            if (released) {
                client.destroy();
            } else {
                // A polling thread may still touch the handle: leaking it is the only safe choice.
                log.error("Producer '{}': polling did not stop; the librdkafka handle is left undestroyed", name);
            }
        } finally {
            handleLock.writeLock().unlock();
        }
        int undelivered = (flushed ? 0 : purged.get()) + failPending();
        if (undelivered > 0) {
            monitor.emit(new Event.ErrorOccurred(name, "producer.close", null, new IllegalStateException(
                    undelivered + " messages were not delivered before close and were purged"), null));
        }
        counters.closed(); // ops
        monitor.emit(new Event.ProducerClosed(name, undelivered));
        return undelivered;
    }

    /**
     * Makes a closed producer usable again with the same configuration and monitor: the next call (or
     * {@link #connect()}) creates a new librdkafka client. Meant for lifecycle containers that stop and start
     * again (Spring's {@code SmartLifecycle}); ordinary code creates a new producer instead.
     *
     * @throws IllegalStateException unless the producer is {@link ProducerState#CLOSED}
     */
    public void reopen() {
        lifecycleLock.lock();
        try {
            if (state != ProducerState.CLOSED) {
                throw new IllegalStateException("Producer '" + name + "' is " + state + "; only a closed producer "
                        + "can be reopened");
            }
            handleLock.writeLock().lock();
            try {
                client = null;
                polling = null;
                closeResult = null;
                transactionsInitialized = false;
                partitionCounts.clear();
                state = ProducerState.INITIAL;
            } finally {
                handleLock.writeLock().unlock();
            }
        } finally {
            lifecycleLock.unlock();
        }
    }

    /** Anything still pending after polling stopped would wait forever: fail it loudly instead. */
    private int failPending() {
        int failed = 0;
        for (Long opaque : new ArrayList<>(pending.keySet())) {
            DeliveryHandle handle = pending.remove(opaque);
            if (handle != null) {
                failed++;
                ProducerClosedException closed = new ProducerClosedException("Producer '" + name
                        + "' closed before a delivery report arrived for " + handle.message());
                if (handle.observed != null) { // ops
                    observed(handle, null, closed);
                }
                handle.completeExceptionally(closed);
            }
        }
        return failed;
    }

    private ProducerClosedException closedException() {
        return new ProducerClosedException("Producer '" + name + "' is " + state.name().toLowerCase()
                + " and takes no more calls; create a new producer");
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Runs {@code body} in a Kafka transaction: commits when it returns, aborts when it throws (and rethrows).
     * Needs {@code transactional.id}; transactions are initialised on first use. A nested call on the same thread
     * joins the running transaction.
     *
     * @throws TransactionException when librdkafka rejects a transactional step
     */
    public <T> T transaction(TransactionBody<T> body) {
        if (!kafka.containsKey("transactional.id")) {
            throw new ConfigurationException("kafka.transactional.id", "Producer '" + name
                    + "' is not transactional; set kafka transactional.id to use transactions");
        }
        if (transactionOwner == Thread.currentThread()) {
            return runBody(body);
        }
        connect();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.maxWaitTimeout().toMillis());
        transactionLock.lock();
        try {
            withHandle(() -> {
                if (!transactionsInitialized) {
                    client.initTransactions(timeoutMs);
                    transactionsInitialized = true;
                }
                client.beginTransaction();
            });
            transactionOwner = Thread.currentThread();
            monitor.emit(new Event.TransactionStarted(name));
            T result;
            try {
                result = runBody(body);
            } catch (RuntimeException | Error e) {
                abort(timeoutMs, e);
                throw e;
            }
            try {
                // Flush first, on our terms: commit_transaction would otherwise serve the queue (and run delivery
                // callbacks) on this application thread.
                awaitDrained(config.maxWaitTimeout());
                withHandle(() -> client.commitTransaction(timeoutMs));
            } catch (TransactionException e) {
                if (e.isAbortRequired()) {
                    abort(timeoutMs, e);
                }
                throw e;
            }
            monitor.emit(new Event.TransactionCommitted(name));
            return result;
        } finally {
            transactionOwner = null;
            transactionLock.unlock();
        }
    }

    private <T> T runBody(TransactionBody<T> body) {
        try {
            return body.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new WaterDropException("Transaction of producer '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private void abort(int timeoutMs, Throwable reason) {
        try {
            withHandle(() -> client.abortTransaction(timeoutMs));
            monitor.emit(new Event.TransactionAborted(name));
        } catch (RuntimeException e) {
            reason.addSuppressed(e);
        }
    }

    private void withHandle(Runnable call) {
        handleLock.readLock().lock();
        try {
            if (state != ProducerState.CONNECTED) {
                throw closedException();
            }
            call.run();
        } finally {
            handleLock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Producer[" + name + ", " + state + ", " + config.pollingMode() + "]";
    }

    // ------------------------------------------------------------------ callbacks (polling thread)

    /** librdkafka's callbacks and the polling loop's view of this producer. Runs on the polling thread. */
    private final class Callbacks implements NativeEvents, PolledClient {

        /** Set while {@link #pollUntil} runs (polling thread only); 0 = no budget. */
        private long budgetDeadline;

        @Override
        public String name() {
            return name;
        }

        @Override
        public int poll(int timeoutMs) {
            int served = client.poll(timeoutMs);
            if (served > 0) {
                deliverySignal.signalAll();
            }
            return served;
        }

        @Override
        public int pollUntil(long deadlineNanos) {
            budgetDeadline = deadlineNanos;
            try {
                return poll(0);
            } finally {
                budgetDeadline = 0;
            }
        }

        @Override
        public void wakeUp() {
            client.yieldPoll();
        }

        @Override
        public int outqLen() {
            return client.outqLen();
        }

        @Override
        public void ioEvents(int fd) {
            client.ioEvents(fd, fd < 0 ? null : IO_EVENT_PAYLOAD);
        }

        @Override
        public void registered(int pollerId) {
            monitor.emit(new Event.PollerProducerRegistered(name, pollerId));
        }

        @Override
        public void unregistered(int pollerId) {
            monitor.emit(new Event.PollerProducerUnregistered(name, pollerId));
        }

        @Override
        public void pollingError(String type, Throwable failure) {
            monitor.emit(new Event.ErrorOccurred(name, type, null, failure, null));
        }

        @Override
        public void onDelivery(long opaque, int err, int partition, long offset, long timestamp) {
            DeliveryHandle handle = pending.remove(opaque);
            if (handle == null) {
                log.warn("Producer '{}': delivery report for an unknown message (opaque {})", name, opaque);
                return;
            }
            if (err == KafkaError.PURGE_QUEUE || err == KafkaError.PURGE_INFLIGHT) {
                purged.incrementAndGet();
            }
            KafkaError error = err == 0 ? null : NativeProducer.error(err);
            counters.delivered(handle.deliveryStart, error); // ops
            DeliveryReport report = new DeliveryReport(handle.message().topic(), partition,
                    error == null ? offset : -1, timestamp, error);
            if (handle.observed != null) { // ops
                observed(handle, error == null ? report : null,
                        error == null ? null : new ProduceException(name, handle.message(), error));
            }
            // Event first, handle second: once produceSync or await() returns, the listeners have seen the
            // outcome, so counters and traces a listener keeps are up to date for the caller.
            try {
                if (error != null) {
                    monitor.emit(new Event.ErrorOccurred(name, "librdkafka.dispatch_error", error, null,
                            handle.message()));
                } else if (monitor.hasListeners()) {
                    monitor.emit(new Event.MessageAcknowledged(name, handle.message(), report));
                }
            } finally {
                handle.report(report);
            }
            // One rd_kafka_poll serves every queued report; yielding here keeps a burst within the fd budget
            // (librdkafka re-enqueues the rest, and the Poller's "continue" byte brings it back next turn).
            if (budgetDeadline != 0 && System.nanoTime() >= budgetDeadline) {
                client.yieldFromCallback();
            }
        }

        @Override
        public void onError(int err, String reason) {
            KafkaError base = NativeProducer.error(err);
            KafkaError error = new KafkaError(err, base.name(), reason);
            counters.error(error); // ops
            monitor.emit(new Event.ErrorOccurred(name, "librdkafka.error", error, null, null));
        }

        @Override
        public void onStatistics(String json) {
            counters.statistics(json); // ops
            if (monitor.hasListeners()) {
                monitor.emit(new Event.StatisticsEmitted(name, json));
            }
        }

        @Override
        public void onLog(int level, String facility, String message) {
            // syslog levels: 0-3 error, 4 warning, 5-6 notice/info, 7 debug
            if (level <= 3) {
                librdkafkaLog.error("[{}] {}: {}", name, facility, message);
            } else if (level == 4) {
                librdkafkaLog.warn("[{}] {}: {}", name, facility, message);
            } else if (level <= 6) {
                librdkafkaLog.info("[{}] {}: {}", name, facility, message);
            } else {
                librdkafkaLog.debug("[{}] {}: {}", name, facility, message);
            }
        }

        @Override
        public void onCallbackFailure(String errorType, Throwable failure) {
            monitor.emit(new Event.ErrorOccurred(name, errorType, null, failure, null));
        }
    }

    /**
     * Lets application threads wait for delivery progress (flush, queue-full back-off) without spinning and
     * without {@code synchronized}, so virtual threads are never pinned.
     */
    private static final class DeliverySignal {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition progressed = lock.newCondition();
        private volatile int waiters;

        void await(long nanos) {
            lock.lock();
            try {
                waiters++;
                progressed.awaitNanos(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaterDropException("Interrupted while waiting for delivery reports", e);
            } finally {
                waiters--;
                lock.unlock();
            }
        }

        /** Cheap when nobody waits: one volatile read on the polling thread. */
        void signalAll() {
            if (waiters > 0) {
                lock.lock();
                try {
                    progressed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
