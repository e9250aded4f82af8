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
        if (reload != null && lifecycle.hasFatalError() && !lifecycle.isPollingThread()) {
            // librdkafka still accepts messages after an idempotent producer's fatal error and fails each in its
            // delivery report: re-create the client before this message goes to the dead one.
            reloadIfFatal(KafkaError.FATAL);
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

    private boolean reloadIfFatal(int err) {
        try {
            return reload.reloadIfFatal(NativeProducer.error(err));
        } catch (ProducerClosedException e) {
            return false; // closed meanwhile: the send then fails as closed
        }
    }
}
