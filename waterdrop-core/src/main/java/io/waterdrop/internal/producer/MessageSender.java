package io.waterdrop.internal.producer;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.PollingStoppedException;
import io.waterdrop.ProduceException;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.QueueFullException;
import io.waterdrop.internal.client.NativeProducer;
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
     * Produces {@code message} to {@code partition}; {@code handle} completes with its report.
     *
     * @throws ProduceException when librdkafka refused the message (nothing is pending for it then)
     * @throws QueueFullException when the queue stayed full for {@code queue-full-timeout}
     * @throws PollingStoppedException when nothing polls the producer any more
     */
    public void send(Message message, int partition, DeliveryHandle handle) {
        Throwable stopped = lifecycle.pollingFailure();
        if (stopped != null) {
            throw new PollingStoppedException("Producer '" + name + "' is no longer polled, so no delivery report "
                    + "would ever arrive; it takes no more messages: " + stopped.getMessage(), stopped);
        }
        long opaque = deliveries.track(handle);
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
                return;
            }
            if (err != KafkaError.QUEUE_FULL) {
                deliveries.forget(opaque);
                throw new ProduceException(name, message, NativeProducer.error(err));
            }
            long now = System.nanoTime();
            if (queueFullDeadline == 0) {
                queueFullDeadline = now + queueFullTimeout.toNanos();
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
