package io.waterdrop.internal.producer;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.QueueFullException;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.metrics.SendObservers;
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
     * Produces {@code message} to {@code partition}; {@code handle} completes with its report, after
     * {@code observed} (or {@code null}) was told the outcome.
     *
     * @throws ProduceException when librdkafka refused the message (nothing is pending for it then)
     * @throws QueueFullException when the queue stayed full for {@code queue-full-timeout}
     */
    public void send(Message message, int partition, DeliveryHandle handle, SendObservers.Send observed) {
        long opaque = deliveries.track(handle, observed);
        long queueFullDeadline = 0;
        long backoffMillis = 1;
        while (true) {
            int err;
            try {
                err = lifecycle.withHandleInt(client -> client.produce(message, partition, opaque));
            } catch (ProducerClosedException e) {
                deliveries.forget(opaque);
                throw e;
            }
            if (err == 0) {
                // The message is librdkafka's now: its report arrives through DeliveryTracker.delivered.
                deliveries.counters().countProduced(); // ops
                return;
            }
            if (err != KafkaError.QUEUE_FULL) {
                deliveries.forget(opaque);
                throw new ProduceException(name, message, NativeProducer.error(err));
            }
            long now = System.nanoTime();
            if (queueFullDeadline == 0) {
                queueFullDeadline = now + queueFullTimeout.toNanos();
                deliveries.counters().queueFullWait(); // ops
            }
            if (now >= queueFullDeadline) {
                deliveries.forget(opaque);
                throw new QueueFullException(name, queueFullTimeout);
            }
            if (lifecycle.isPollingThread()) {
                // Waiting here would stop the very thread that empties the queue.
                deliveries.forget(opaque);
                throw new QueueFullException(name, Duration.ZERO);
            }
            deliveries.awaitProgress(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
            backoffMillis = Math.min(100, backoffMillis * 2);
        }
    }
}
