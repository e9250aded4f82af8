package io.waterdrop.internal.producer;

import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.PollingStoppedException;
import io.waterdrop.ProduceException;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.QueueFullException;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.client.TopicSettings;
import io.waterdrop.internal.metrics.SendObservers;
import io.waterdrop.internal.polling.PollingThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hands messages to librdkafka: tracks each before the call (its report may arrive before produce returns) and
 * waits with back-off, up to {@code queue-full-timeout}, while librdkafka's queue is full.
 */
public final class MessageSender {

    private final String name;
    private final ClientLifecycle lifecycle;
    private final DeliveryTracker deliveries;
    private final Duration queueFullTimeout;
    private final FatalErrorReload reload;

    /** @param reload re-creates the client when a send meets a fatal error, or {@code null} when switched off */
    public MessageSender(String name, ClientLifecycle lifecycle, DeliveryTracker deliveries,
            Duration queueFullTimeout, FatalErrorReload reload) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.deliveries = deliveries;
        this.queueFullTimeout = queueFullTimeout;
        this.reload = reload;
    }

    /**
     * Produces {@code message} to {@code partition}; {@code delivery} completes with its report, after
     * {@code observed} (or {@code null}) was told the outcome; {@code settings} are the variant's topic settings.
     *
     * @throws ProduceException when librdkafka refused the message (nothing is pending for it then)
     * @throws QueueFullException when the queue stayed full for {@code queue-full-timeout}
     * @throws PollingStoppedException when nothing polls the producer any more
     */
    public void send(Message message, int partition, PendingDelivery delivery, SendObservers.Send observed,
            TopicSettings settings) {
        checkPolled();
        long opaque = deliveries.track(delivery, observed);
        boolean accepted = false;
        try {
            accepted = produce(message, partition, opaque, settings);
        } finally {
            if (!accepted) {
                // Whatever ended the attempt (a refusal, a full queue, an interrupt, an Error), librdkafka does not
                // have the message, so no report will ever remove its entry.
                deliveries.forget(opaque);
            }
        }
    }

    /**
     * Like {@link #send} for {@code messages[from, to)}: one topic, one {@code partition}, no headers, timestamp or
     * partition key, no send observer; one produce_batch call. A message refused for a full queue, and every one
     * after it in the call, goes through {@link #send}'s queue-full wait one by one, in order.
     *
     * @return per message, {@code null} when accepted, else the {@link ProduceException} or
     *         {@link QueueFullException} that fails only its handle
     * @throws PollingStoppedException like {@link #send}, and anything the lifecycle throws (closed), with nothing of
     *         the call left pending
     */
    public RuntimeException[] sendBatch(List<Message> messages, int from, int to, int partition,
            PendingDelivery[] delivery, TopicSettings settings) {
        int count = to - from;
        checkPolled();
        long[] opaques = new long[count];
        int[] errs = new int[count];
        RuntimeException[] failures = new RuntimeException[count];
        boolean[] accepted = new boolean[count];
        int tracked = 0;
        try {
            for (; tracked < count; tracked++) {
                opaques[tracked] = deliveries.track(delivery[tracked], null);
            }
            boolean batched = lifecycle.withHandleInt(client ->
                    client.produceBatch(messages, from, to, partition, opaques, settings, errs) ? 1 : 0) == 1;
            for (int i = 0; i < count; i++) {
                Message message = messages.get(from + i);
                int err = batched ? errs[i] : KafkaError.QUEUE_FULL; // no handle: each goes the single way
                if (err == 0) {
                    accepted[i] = true;
                    deliveries.counters().countProduced(); // ops
                    continue;
                }
                try {
                    if (err != KafkaError.QUEUE_FULL) {
                        throw new ProduceException(name, message, NativeProducer.error(err));
                    }
                    accepted[i] = produce(message, partition, opaques[i], settings);
                } catch (ProduceException | QueueFullException e) {
                    failures[i] = e;
                }
            }
        } finally {
            for (int i = 0; i < tracked; i++) {
                if (!accepted[i]) {
                    deliveries.forget(opaques[i]); // librdkafka does not have it: no report will remove it
                }
            }
        }
        return failures;
    }

    private void checkPolled() {
        Throwable stopped = lifecycle.pollingFailure();
        if (stopped != null) {
            throw new PollingStoppedException("Producer '" + name + "' is no longer polled, so no delivery report "
                    + "would ever arrive; it takes no more messages: " + stopped.getMessage(), stopped);
        }
        if (reload != null && lifecycle.hasFatalError() && !PollingThreads.isPollingThread()) {
            // librdkafka still accepts messages after an idempotent producer's fatal error and fails each in its
            // delivery report: re-create the client before this message goes to the dead one.
            reloadIfFatal(KafkaError.FATAL);
        }
    }

    /** Returns true once librdkafka accepted the message; throws otherwise. */
    private boolean produce(Message message, int partition, long opaque, TopicSettings settings) {
        long queueFullDeadline = 0;
        long backoffMillis = 1;
        while (true) {
            int err = lifecycle.withHandleInt(client -> client.produce(message, partition, opaque, settings));
            if (err == 0) {
                // The message is librdkafka's now: its report arrives through DeliveryTracker.delivered.
                deliveries.counters().countProduced(); // ops
                return true;
            }
            if (err != KafkaError.QUEUE_FULL) {
                throw new ProduceException(name, message, NativeProducer.error(err));
            }
            long now = System.nanoTime();
            if (queueFullDeadline == 0) {
                queueFullDeadline = now + queueFullTimeout.toNanos();
                deliveries.counters().queueFullWait(); // ops
            }
            if (now >= queueFullDeadline) {
                throw new QueueFullException(name, queueFullTimeout);
            }
            if (PollingThreads.isPollingThread()) {
                // Waiting here would stop the thread that empties this queue, or stall the producers it serves.
                throw new QueueFullException(name, Duration.ZERO);
            }
            deliveries.awaitProgress(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
            backoffMillis = Math.min(100, backoffMillis * 2);
        }
    }

    private boolean reloadIfFatal(int err) {
        try {
            return reload.reloadIfFatal(NativeProducer.error(err));
        } catch (ProducerClosedException e) {
            return false; // closed meanwhile: the send then fails as closed
        }
    }
}
