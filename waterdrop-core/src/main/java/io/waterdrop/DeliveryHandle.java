package io.waterdrop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pending delivery of one message: a {@link CompletableFuture} that completes with the {@link DeliveryReport}
 * when the broker acknowledged the message, or exceptionally with a {@link ProduceException} when it failed.
 *
 * <p>Completion happens on the producer's polling thread: keep dependent stages short or use the {@code *Async}
 * variants with your own executor.
 */
public final class DeliveryHandle extends CompletableFuture<DeliveryReport> {

    private final String producer;
    private final Message message;
    private final Duration maxWait;

    DeliveryHandle(String producer, Message message, Duration maxWait) {
        this.producer = producer;
        this.message = message;
        this.maxWait = maxWait;
    }

    public Message message() {
        return message;
    }

    /** Waits up to the producer's {@code max-wait-timeout}; see {@link #await(Duration)}. */
    public DeliveryReport await() {
        return await(maxWait);
    }

    /**
     * Waits for the report at most {@code timeout} (virtual-thread friendly).
     *
     * @throws ProduceException when the message was not delivered
     * @throws DeliveryTimeoutException when no report came in time (the message may still be delivered)
     */
    public DeliveryReport await(Duration timeout) {
        try {
            return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new DeliveryTimeoutException(producer, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WaterDropException w) {
                throw w;
            }
            throw new WaterDropException("Delivery of " + message + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaterDropException("Interrupted while waiting for the delivery of " + message, e);
        }
    }
}
