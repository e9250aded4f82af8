package io.waterdrop.internal.producer;

import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import io.waterdrop.QueueFullException;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PollingThreads;
import java.time.Duration;
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

    public MessageSender(String name, ClientLifecycle lifecycle, DeliveryTracker deliveries,
            Duration queueFullTimeout) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.deliveries = deliveries;
        this.queueFullTimeout = queueFullTimeout;
    }

    /**
     * Produces {@code message} to {@code partition}; {@code delivery} completes with its report.
     *
     * @throws ProduceException when librdkafka refused the message (nothing is pending for it then)
     * @throws QueueFullException when the queue stayed full for {@code queue-full-timeout}
     */
    public void send(Message message, int partition, PendingDelivery delivery) {
        long opaque = deliveries.track(delivery);
        boolean accepted = false;
        try {
            accepted = produce(message, partition, opaque);
        } finally {
            if (!accepted) {
                // Whatever ended the attempt (a refusal, a full queue, an interrupt, an Error), librdkafka does not
                // have the message, so no report will ever remove its entry.
                deliveries.forget(opaque);
            }
        }
    }

    /** Returns true once librdkafka accepted the message; throws otherwise. */
    private boolean produce(Message message, int partition, long opaque) {
        long queueFullDeadline = 0;
        long backoffMillis = 1;
        while (true) {
            int err = lifecycle.withHandleInt(client -> client.produce(message, partition, opaque));
            if (err == 0) {
                // The message is librdkafka's now: its report arrives through DeliveryTracker.delivered.
                return true;
            }
            if (err != KafkaError.QUEUE_FULL) {
                throw new ProduceException(name, message, NativeProducer.error(err));
            }
            long now = System.nanoTime();
            if (queueFullDeadline == 0) {
                queueFullDeadline = now + queueFullTimeout.toNanos();
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
}
