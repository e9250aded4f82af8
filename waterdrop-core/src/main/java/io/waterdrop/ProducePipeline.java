package io.waterdrop;

import io.waterdrop.internal.client.TopicSettings;
import io.waterdrop.internal.metrics.SendObservers;
import io.waterdrop.internal.polling.PollingThreads;
import io.waterdrop.internal.producer.ClientLifecycle;
import io.waterdrop.internal.producer.MessageSender;
import io.waterdrop.internal.producer.PendingDelivery;
import io.waterdrop.internal.producer.Transactions;
import io.waterdrop.internal.producer.VariantRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The way every message of one {@link Producer} (and its variants) takes, on the producing thread: middleware, the
 * producer's own checks, the transaction owner rule, send observers, the variant's topic claim and partition key,
 * then {@link MessageSender}. Package-private so it can make {@link DeliveryHandle}s; the public methods stay on
 * {@link Producer}.
 */
final class ProducePipeline {

    /** Most messages per produce_batch call (its native array and data are one buffer). */
    private static final int MAX_BATCH = 256;
    private static final boolean BATCH = !"false".equals(System.getProperty("waterdrop.produce-batch"));

    private final ProducerConfig config;
    private final String name;
    private final Monitor monitor;
    private final MiddlewareChain middleware;
    private final SendObservers sendObservers;
    private final ClientLifecycle lifecycle;
    private final VariantRegistry variants;
    private final MessageSender sender;
    /** {@code null} unless the producer is transactional. */
    private final Transactions transactions;

    ProducePipeline(ProducerConfig config, Monitor monitor, MiddlewareChain middleware, SendObservers sendObservers,
            ClientLifecycle lifecycle, VariantRegistry variants, MessageSender sender, Transactions transactions) {
        this.config = config;
        this.name = config.name();
        this.monitor = monitor;
        this.middleware = middleware;
        this.sendObservers = sendObservers;
        this.lifecycle = lifecycle;
        this.variants = variants;
        this.sender = sender;
        this.transactions = transactions;
    }

    DeliveryHandle produceAsync(Message message, TopicSettings settings) {
        Message prepared = prepare(message);
        DeliveryHandle handle = send(prepared, settings);
        produced(prepared, false);
        return handle;
    }

    DeliveryReport produceSync(Message message, TopicSettings settings) {
        Message prepared = prepare(message);
        rejectWaitOnPollingThread("produceSync()", "produceAsync()");
        DeliveryHandle handle = send(prepared, settings);
        produced(prepared, true);
        return handle.await();
    }

    /** Every message through the middleware and the checks first: a rejection sends nothing of the batch. */
    List<DeliveryHandle> produceManyAsync(List<Message> messages, TopicSettings settings) {
        List<Message> prepared = new ArrayList<>(messages.size());
        for (Message message : messages) {
            prepared.add(prepare(message));
        }
        List<DeliveryHandle> handles = new ArrayList<>(prepared.size());
        boolean batchable = BATCH && transactions == null && sendObservers.isEmpty();
        int i = 0;
        while (i < prepared.size()) {
            int end = batchable ? batchEnd(prepared, i) : i + 1;
            if (end - i < 2) {
                handles.add(sendOrFailedHandle(prepared.get(i), settings));
                i++;
            } else {
                sendBatch(prepared, i, end, settings, handles);
                i = end;
            }
        }
        return handles;
    }

    /**
     * The end of the run of messages from {@code from} that one produce_batch call can take: same topic and partition,
     * no headers, timestamp or partition key, at most {@value #MAX_BATCH}.
     */
    private static int batchEnd(List<Message> messages, int from) {
        Message first = messages.get(from);
        int end = from;
        while (end < messages.size() && end - from < MAX_BATCH) {
            Message m = messages.get(end);
            if (!m.headers().isEmpty() || m.timestamp() != null || m.partitionKey() != null
                    || m.partition() != first.partition() || !m.topic().equals(first.topic())) {
                break;
            }
            end++;
        }
        return end;
    }

    /** The steps of {@link #send(Message, SendObservers.Send, TopicSettings)} for a run {@link #batchEnd} found. */
    private void sendBatch(List<Message> messages, int from, int to, TopicSettings settings,
            List<DeliveryHandle> handles) {
        lifecycle.connect(ClientLifecycle.PRODUCE);
        variants.claim(messages.get(from), settings); // one topic
        PendingDelivery[] deliveries = new PendingDelivery[to - from];
        for (int i = from; i < to; i++) {
            deliveries[i - from] = new PendingDelivery(messages.get(i));
        }
        RuntimeException[] failures = sender.sendBatch(messages, from, to, messages.get(from).partition(),
                deliveries, settings);
        for (int i = from; i < to; i++) {
            Message message = messages.get(i);
            RuntimeException failure = failures[i - from];
            if (failure == null) {
                handles.add(new DeliveryHandle(name, message, config.maxWaitTimeout(), deliveries[i - from]));
                produced(message, false);
            } else {
                handles.add(new DeliveryHandle(name, message, config.maxWaitTimeout(),
                        CompletableFuture.failedFuture(failure)));
            }
        }
    }

    List<DeliveryReport> produceManySync(List<Message> messages, TopicSettings settings) {
        rejectWaitOnPollingThread("produceManySync()", "produceManyAsync()");
        List<DeliveryHandle> handles = produceManyAsync(messages, settings);
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

    private DeliveryHandle sendOrFailedHandle(Message message, TopicSettings settings) {
        try {
            DeliveryHandle handle = send(message, settings);
            produced(message, false);
            return handle;
        } catch (ProduceException | QueueFullException e) {
            return new DeliveryHandle(name, message, config.maxWaitTimeout(), CompletableFuture.failedFuture(e));
        }
    }

    /**
     * Waiting for a delivery report on the thread that delivers it would only ever end in a timeout, and waiting on
     * any other polling thread stalls every producer that thread serves: fail at once, before anything is sent.
     *
     * @param instead what to call in a callback instead, or {@code null} when nothing can replace it there
     */
    void rejectWaitOnPollingThread(String call, String instead) {
        String what = instead != null ? "Use " + instead + " in callbacks, or call it from an application thread"
                : "Call it from an application thread";
        if (lifecycle.isPollingThread()) {
            throw new IllegalStateException(call + " cannot run on " + Thread.currentThread().getName()
                    + ": that thread delivers the reports " + call + " waits for. " + what);
        }
        if (PollingThreads.isPollingThread()) {
            throw new IllegalStateException(call + " of producer '" + name + "' cannot run on "
                    + Thread.currentThread().getName() + ": that thread serves delivery reports, and while it waits "
                    + "every producer it serves waits too. " + what);
        }
    }

    private void produced(Message message, boolean sync) {
        if (monitor.hasListeners()) {
            monitor.emit(new Event.MessageProduced(name, message, sync));
        }
    }

    /** The middleware chain, then the checks that need this producer's settings; nothing is sent yet. */
    private Message prepare(Message message) {
        if (message == null) {
            throw new InvalidMessageException("message", "is null");
        }
        Message prepared = middleware.apply(message);
        validate(prepared);
        return prepared;
    }

    private void validate(Message message) {
        byte[] payload = message.payload();
        if (payload != null && payload.length > config.maxPayloadSize()) {
            throw new InvalidMessageException("payload", "is " + payload.length + " bytes, over max-payload-size "
                    + config.maxPayloadSize() + "; send smaller messages or raise max-payload-size (and the "
                    + "broker's message.max.bytes)");
        }
    }

    /** Any polling thread (any Poller's, any thread-mode producer's): threads that must never wait for the broker. */
    private boolean onAnyPollingThread() {
        return PollingThreads.isPollingThread();
    }

    /**
     * On a transactional producer only the thread that owns the open transaction produces (others get a
     * {@code _STATE} {@link ProduceException}, see docs/architecture.md#transactions).
     */
    private DeliveryHandle send(Message message, TopicSettings settings) {
        return transactions != null
                ? transactions.send(message, () -> sendObserved(message, settings))
                : sendObserved(message, settings);
    }

    /** ops: with send observers (tracing), they see every message and its outcome. */
    private DeliveryHandle sendObserved(Message message, TopicSettings settings) {
        if (sendObservers.isEmpty()) {
            return send(message, null, settings);
        }
        SendObservers.Send observed = sendObservers.begin(name, message);
        try {
            return send(observed.message(), observed, settings);
        } catch (RuntimeException e) {
            observed.complete(null, e);
            throw e;
        }
    }

    private DeliveryHandle send(Message message, SendObservers.Send observed, TopicSettings settings) {
        lifecycle.connect(ClientLifecycle.PRODUCE);
        variants.claim(message, settings);
        int partition = message.partitionKey() == null ? message.partition()
                : variants.partitionKeys(settings).partition(message, !onAnyPollingThread(), (topic, timeoutMs) ->
                        lifecycle.withHandle(client -> client.partitionCount(topic, timeoutMs, settings)));
        PendingDelivery delivery = new PendingDelivery(message);
        sender.send(message, partition, delivery, observed, settings);
        return new DeliveryHandle(name, message, config.maxWaitTimeout(), delivery);
    }
}
