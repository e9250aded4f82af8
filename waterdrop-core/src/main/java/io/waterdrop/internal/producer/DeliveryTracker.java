package io.waterdrop.internal.producer;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.DeliveryReport;
import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.ProduceException;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.internal.client.NativeProducer;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one producer that librdkafka has not reported on yet: each gets an opaque id before it is handed
 * to librdkafka, and {@link #delivered} (the one place a delivery report arrives) completes its handle. Also counts
 * purged reports for close, and lets application threads wait for delivery progress.
 */
public final class DeliveryTracker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryTracker.class);

    private final String name;
    private final EventSink events;
    private final ConcurrentHashMap<Long, DeliveryHandle> pending = new ConcurrentHashMap<>();
    private final AtomicLong opaqueSequence = new AtomicLong();
    /** Messages whose report carried a purge error since the last {@link #resetPurged()}. */
    private final AtomicInteger purged = new AtomicInteger();
    private final DeliverySignal signal = new DeliverySignal();

    public DeliveryTracker(String name, EventSink events) {
        this.name = name;
        this.events = events;
    }

    /**
     * Registers {@code handle} and returns its opaque id. Call before producing: the report may arrive before
     * produce returns.
     */
    public long track(DeliveryHandle handle) {
        long opaque = opaqueSequence.incrementAndGet();
        pending.put(opaque, handle);
        return opaque;
    }

    /** Drops a message librdkafka did not accept: no report will come for it. */
    public void forget(long opaque) {
        pending.remove(opaque);
    }

    /** Delivery handles not completed yet. */
    public int pendingCount() {
        return pending.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * One message's delivery report (polling thread). The one place a report arrives: emits the event first, then
     * completes the handle, so once produceSync or await() returns, listeners have seen the outcome.
     */
    public void delivered(long opaque, int err, int partition, long offset, long timestamp) {
        DeliveryHandle handle = pending.remove(opaque);
        if (handle == null) {
            log.warn("Producer '{}': delivery report for an unknown message (opaque {})", name, opaque);
            return;
        }
        if (err == KafkaError.PURGE_QUEUE || err == KafkaError.PURGE_INFLIGHT) {
            purged.incrementAndGet();
        }
        KafkaError error = err == 0 ? null : NativeProducer.error(err);
        DeliveryReport report = new DeliveryReport(handle.message().topic(), partition,
                error == null ? offset : -1, timestamp, error);
        try {
            if (error != null) {
                events.emit(new Event.ErrorOccurred(name, "librdkafka.dispatch_error", error, null,
                        handle.message()));
            } else if (events.hasListeners()) {
                events.emit(new Event.MessageAcknowledged(name, handle.message(), report));
            }
        } finally {
            if (error == null) {
                handle.complete(report);
            } else {
                handle.completeExceptionally(new ProduceException(name, handle.message(), error));
            }
        }
    }

    /** Starts counting purge reports afresh (close purges, then reads {@link #purged()}). */
    public void resetPurged() {
        purged.set(0);
    }

    public int purged() {
        return purged.get();
    }

    /** Anything still pending after polling stopped would wait forever: fail it loudly instead. */
    public int failRemaining() {
        int failed = 0;
        for (Long opaque : new ArrayList<>(pending.keySet())) {
            DeliveryHandle handle = pending.remove(opaque);
            if (handle != null) {
                failed++;
                handle.completeExceptionally(new ProducerClosedException("Producer '" + name
                        + "' closed before a delivery report arrived for " + handle.message()));
            }
        }
        return failed;
    }

    /** Waits up to {@code nanos} for delivery progress (a poll that served something). */
    public void awaitProgress(long nanos) {
        signal.await(nanos);
    }

    /** A poll served something: wakes flush and queue-full waiters. Polling thread. */
    public void progressed() {
        signal.signalAll();
    }
}
