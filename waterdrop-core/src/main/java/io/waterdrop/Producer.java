package io.waterdrop;

import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.client.PartitionKeys;
import io.waterdrop.internal.client.TopicSettings;
import io.waterdrop.internal.metrics.ProducerCounters;
import io.waterdrop.internal.metrics.SendObservers;
import io.waterdrop.internal.polling.FdPolling;
import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.internal.polling.PollingStrategy;
import io.waterdrop.internal.polling.ThreadPolling;
import io.waterdrop.internal.producer.ClientLifecycle;
import io.waterdrop.internal.producer.DeliveryTracker;
import io.waterdrop.internal.producer.EventSink;
import io.waterdrop.internal.producer.MessageSender;
import io.waterdrop.internal.producer.FatalErrorReload;
import io.waterdrop.internal.producer.ProducerInternals;
import io.waterdrop.internal.producer.Transactions;
import io.waterdrop.internal.producer.VariantRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
 *
 * <p>This class is the public face: every message takes the package's {@code ProducePipeline} (middleware, checks,
 * the transaction owner rule, observers, variants), and the work happens in {@code io.waterdrop.internal.producer}:
 * {@code ClientLifecycle} (state, connect, close, reopen), {@code MessageSender} (handing messages to librdkafka),
 * {@code DeliveryTracker} (pending handles and their reports), {@code Transactions} and {@code ClientCallbacks}.
 */
public final class Producer implements AutoCloseable {

    private static final Duration CLOSE_DRAIN_BOUND = Duration.ofSeconds(5);

    static {
        ProducerInternals.register(producer -> {
            producer.requireTransactional();
            return producer.transactions;
        });
    }

    private final ProducerConfig config;
    private final String name;
    private final Monitor monitor;
    private final Map<String, String> kafka;

    private final DeliveryTracker deliveries;
    private final ClientLifecycle lifecycle;
    private final MessageSender sender;
    private final Transactions transactions;
    private final boolean transactional;
    private final PartitionKeys partitionKeys;
    private final VariantRegistry variants;
    // ops: counters (metrics, health) and send observers (tracing)
    private final ProducerCounters counters = new ProducerCounters();
    private final SendObservers sendObservers = new SendObservers();
    private final MiddlewareChain middleware;
    private final ProducePipeline pipeline;

    /**
     * Builds a producer and checks every librdkafka property (without connecting).
     *
     * @throws ConfigurationException naming the property librdkafka rejected
     * @throws LibraryUnavailableException when librdkafka is missing or too old
     */
    public Producer(ProducerConfig config) {
        this(config, null);
    }

    /** A test seam: {@code polling} replaces the polling strategy {@link ProducerConfig} asks for. */
    Producer(ProducerConfig config, Function<PolledClient, PollingStrategy> polling) {
        this.config = config;
        this.name = config.name();
        this.monitor = new Monitor(name);
        this.middleware = new MiddlewareChain(name, config.middleware());
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("client.id", "waterdrop-" + name);
        effective.putAll(config.kafka());
        this.kafka = Map.copyOf(effective);
        NativeProducer.validate(kafka);
        this.partitionKeys = new PartitionKeys(name, kafka, config.maxWaitTimeout());
        this.variants = new VariantRegistry(name, kafka, partitionKeys, config.maxWaitTimeout(), config.topics());
        EventSink events = new EventSink() {
            @Override
            public boolean hasListeners() {
                return monitor.hasListeners();
            }

            @Override
            public void emit(Event event) {
                monitor.emit(event);
            }
        };
        this.deliveries = new DeliveryTracker(name, events, counters);
        this.lifecycle = new ClientLifecycle(name, config.pollingMode(), kafka, events, deliveries,
                polling != null ? polling : this::pollingFor, config.topics(), config.maxWaitTimeout());
        FatalErrorReload reload = config.reloadOnTransactionFatalError() || config.reloadOnIdempotentFatalError()
                ? new FatalErrorReload(name, lifecycle, events, config.maxFatalErrorReloads(),
                        config.fatalErrorReloadBackoff(), this::resetClientState)
                : null;
        // A transactional producer's fatal errors end its transaction; Transactions decides about those.
        boolean idempotentReload = config.reloadOnIdempotentFatalError() && !kafka.containsKey("transactional.id");
        this.sender = new MessageSender(name, lifecycle, deliveries, config.queueFullTimeout(),
                idempotentReload ? reload : null);
        this.transactional = kafka.containsKey("transactional.id");
        this.transactions = new Transactions(name, lifecycle, events, config.maxWaitTimeout(),
                config.transactionAttemptTimeout(), config.reloadOnTransactionFatalError() ? reload : null);
        this.pipeline = new ProducePipeline(config, monitor, middleware, sendObservers, lifecycle, variants, sender,
                transactional ? transactions : null);
        if (!config.idleDisconnectTimeout().isZero()) {
            lifecycle.disconnectWhenIdle(config.idleDisconnectTimeout(), transactions::whileNoTransaction,
                    this::resetClientState);
        }
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
        return lifecycle.state();
    }

    /** Events of this producer; subscribe before {@link #connect()} to see {@code producer.connected}. */
    public Monitor monitor() {
        return monitor;
    }

    /** The loaded librdkafka's version, e.g. {@code 2.0.2}. */
    public static String librdkafkaVersion() {
        return io.waterdrop.internal.nativelib.NativeLibraries.librdkafkaVersion();
    }

    /**
     * How this producer is polled, and whether it still is: {@link PollingInfo#failure()} is set once no thread
     * serves it any more (its Poller gave up after repeated abnormal exits); health checks read it.
     */
    public PollingInfo pollingInfo() {
        Throwable stopped = lifecycle.pollingFailure();
        String failure = stopped == null ? null : stopped.getMessage();
        if (config.pollingMode() == PollingMode.FD) {
            Poller poller = config.poller();
            return new PollingInfo(PollingMode.FD, poller.threadName(), poller.id(), config.fdMaxTime(),
                    config.fdPeriodicPollInterval(), null, failure);
        }
        return new PollingInfo(PollingMode.THREAD, "waterdrop.native_kafka#" + name, -1, null, null,
                config.threadPollTimeout(), failure);
    }

    /** Creates the librdkafka client and starts polling; does nothing when already connected. */
    public void connect() {
        lifecycle.connect();
    }

    private PollingStrategy pollingFor(PolledClient client) {
        return config.pollingMode() == PollingMode.FD
                ? new FdPolling(config.poller().loop(), client, config.fdMaxTime(), config.fdPeriodicPollInterval(),
                        CLOSE_DRAIN_BOUND)
                : new ThreadPolling(client, config.threadPollTimeout(), CLOSE_DRAIN_BOUND);
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
        return produceAsync(message, TopicSettings.DEFAULT);
    }

    DeliveryHandle produceAsync(Message message, TopicSettings settings) {
        return pipeline.produceAsync(message, settings);
    }

    /**
     * Produces and waits for the broker's acknowledgement, up to {@code max-wait-timeout}.
     *
     * @throws ProduceException when delivery failed, with librdkafka's error
     * @throws DeliveryTimeoutException when no report came in time
     */
    public DeliveryReport produceSync(Message message) {
        return produceSync(message, TopicSettings.DEFAULT);
    }

    DeliveryReport produceSync(Message message, TopicSettings settings) {
        return pipeline.produceSync(message, settings);
    }

    /**
     * Produces every message asynchronously. All messages go through the middleware and are validated first: an
     * invalid or rejected one fails the call before anything is sent. A message librdkafka refuses gets a handle that
     * is already failed, so the handles of the messages accepted before it are never lost.
     */
    public List<DeliveryHandle> produceManyAsync(List<Message> messages) {
        return produceManyAsync(messages, TopicSettings.DEFAULT);
    }

    List<DeliveryHandle> produceManyAsync(List<Message> messages, TopicSettings settings) {
        return pipeline.produceManyAsync(messages, settings);
    }

    /**
     * Produces every message and waits for every report (the whole batch within {@code max-wait-timeout}).
     *
     * @throws ProduceManyException listing EVERY failed message, with the reports of the delivered ones
     */
    public List<DeliveryReport> produceManySync(List<Message> messages) {
        return produceManySync(messages, TopicSettings.DEFAULT);
    }

    List<DeliveryReport> produceManySync(List<Message> messages, TopicSettings settings) {
        return pipeline.produceManySync(messages, settings);
    }

    /**
     * A handle that produces through this producer's client and Poller with other topic-level librdkafka settings
     * ({@code acks}, {@code compression.type}, {@code message.timeout.ms}, {@code partitioner}, ...; merged over this
     * producer's). Create variants once and keep them. A topic belongs to one variant per producer (this producer's
     * own settings count as one): librdkafka keeps one configuration per topic in a client, so sending a topic
     * through a second variant throws {@link VariantConflictException}. See docs/features.md "Variants".
     *
     * @throws ConfigurationException naming a key that is client-level, unknown or has a bad value
     * @throws ProducerClosedException after close
     */
    public ProducerVariant variant(Map<String, String> topicSettings) {
        ProducerState s = lifecycle.state();
        if (s == ProducerState.CLOSING || s == ProducerState.CLOSED) {
            throw lifecycle.closedException();
        }
        return new ProducerVariant(this, variants.settings(topicSettings));
    }

    // ------------------------------------------------------------------ flush, close

    /**
     * Waits until every message handed to librdkafka got its delivery report, or the timeout passed.
     *
     * @return true when nothing is left in flight
     */
    public boolean flush(Duration timeout) {
        ProducerState s = lifecycle.state();
        if (s == ProducerState.INITIAL) {
            return true;
        }
        if (s == ProducerState.CLOSED) {
            throw lifecycle.closedException();
        }
        pipeline.rejectWaitOnPollingThread("flush()", null);
        return lifecycle.awaitDrained(timeout);
    }

    /** Messages handed to librdkafka and not yet reported (0 before connect and after close). */
    public int queueLength() {
        return lifecycle.whileOpen(NativeProducer::outqLen, 0, true);
    }

    /** Delivery handles not completed yet. */
    public int pendingDeliveries() {
        return deliveries.pendingCount();
    }

    /** librdkafka's fatal error (e.g. a fenced idempotent or transactional producer), or {@code null}. */
    public KafkaError fatalError() {
        return lifecycle.whileOpen(NativeProducer::fatalError, null, false);
    }

    /** A snapshot of this producer's counters: produced, acknowledged, failed, last error, brokers up. */
    public ProducerMetrics metrics() {
        return counters.snapshot(deliveries.pendingCount());
    }

    /**
     * Adds an observer that sees every message this producer sends and its outcome (tracing, see
     * {@link ProducerObservation}); close the returned subscription to remove it.
     */
    public Monitor.Subscription addSendObserver(SendObserver observer) {
        Runnable remove = sendObservers.add(observer);
        return remove::run;
    }

    /**
     * The middleware run on every message before it is validated and sent, first to last; starts with
     * {@link ProducerConfig#middleware()}. Append, prepend or remove at any time (copy-on-write).
     */
    public MiddlewareChain middleware() {
        return middleware;
    }

    /** The live counters, for {@link ProducerMeterBinder}. */
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
        return lifecycle.closing().close(timeout, false);
    }

    /** Closes without flushing: purges everything queued or in flight. Returns how many messages were purged. */
    public int forceClose() {
        return lifecycle.closing().close(Duration.ZERO, true);
    }

    /**
     * Closes on a new thread; safe from anywhere, delivery callbacks included. Returns the undelivered count.
     */
    public CompletableFuture<Integer> closeAsync() {
        return lifecycle.closing().closeAsync(config.closeTimeout());
    }

    /**
     * Makes a closed producer usable again with the same configuration and monitor: the next call (or
     * {@link #connect()}) creates a new librdkafka client. Meant for lifecycle containers that stop and start
     * again (Spring's {@code SmartLifecycle}); ordinary code creates a new producer instead.
     *
     * @throws IllegalStateException unless the producer is {@link ProducerState#CLOSED}
     */
    public void reopen() {
        lifecycle.reopen(this::resetClientState);
    }

    /** Per-client state the next librdkafka client must not inherit; runs while the producer is closed. */
    private void resetClientState() {
        transactions.reset();
        partitionKeys.clear();
        variants.clear();
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Runs {@code body} in a Kafka transaction: commits when it returns, aborts when it throws (and rethrows).
     * Needs {@code transactional.id}; transactions are initialised on first use. A nested call on the same thread
     * joins the running transaction. Only this thread produces into it: while it runs, another thread's produce on
     * this producer fails with a {@code _STATE} {@link ProduceException} (a second thread's {@code transaction()}
     * waits for this one to end).
     *
     * @throws TransactionException when librdkafka rejects a transactional step
     */
    public <T> T transaction(TransactionBody<T> body) {
        pipeline.rejectWaitOnPollingThread("transaction()", null);
        requireTransactional();
        return transactions.run(body);
    }

    private void requireTransactional() {
        if (!transactional) {
            throw new ConfigurationException("kafka.transactional.id", "Producer '" + name
                    + "' is not transactional; set kafka transactional.id to use transactions");
        }
    }

    // ------------------------------------------------------------------ typed payloads

    /**
     * Sends application types through this producer's serializers ({@link ProducerConfig#serializers()}):
     * {@code producer.<String, Order>typed().produceAsync("orders", order.id(), order)}.
     *
     * @param <K> the key type the key serializer takes
     * @param <V> the payload type the payload serializer takes
     */
    public <K, V> TypedProducer<K, V> typed() {
        return new TypedProducer<>(this, config.serializers());
    }

    /** The polling loop's view of the current client, or {@code null} before connect; for tests only. */
    PolledClient polledClient() {
        return lifecycle.polledClient();
    }

    @Override
    public String toString() {
        return "Producer[" + name + ", " + state() + ", " + config.pollingMode() + "]";
    }
}
