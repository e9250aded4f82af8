package io.waterdrop.internal.producer;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.ProduceException;
import io.waterdrop.ProducerClosedException;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.metrics.InstrumentedDelivery;
import io.waterdrop.internal.metrics.ProducerCounters;
import io.waterdrop.internal.metrics.SendObservers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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
    /** ops: a {@link PendingDelivery}, or an {@link InstrumentedDelivery} when the message is timed or observed. */
    private final PendingTable pending = new PendingTable();
    /** Messages tracked so far: idle disconnect compares two reads (opaques are reused slots, not a sequence). */
    private final LongAdder tracked = new LongAdder();
    /** Messages whose report carried a purge error since the last {@link #resetPurged()}. */
    private final AtomicInteger purged = new AtomicInteger();
    private final DeliverySignal signal = new DeliverySignal();

    private final ProducerCounters counters; // ops

    public DeliveryTracker(String name, EventSink events, ProducerCounters counters) {
        this.name = name;
        this.events = events;
        this.counters = counters;
    }

    /** ops: the producer's counters (metrics, health). */
    public ProducerCounters counters() {
        return counters;
    }

    /**
     * Registers {@code delivery} and returns its opaque id. Call before producing: the report may arrive before
     * produce returns.
     */
    public long track(PendingDelivery delivery, SendObservers.Send observed) {
        tracked.increment();
        return pending.add(InstrumentedDelivery.of(delivery, counters.deliveryStart(), observed)); // ops
    }

    /** How many messages were tracked: unchanged between two reads means nothing was produced in between. */
    public long sequence() {
        return tracked.sum();
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
        Object entry = pending.remove(opaque);
        if (entry == null) {
            // Taken already (failed at close) or not ours: a report can never complete another message.
            log.warn("Producer '{}': delivery report for an unknown message (opaque {})", name, opaque);
            return;
        }
        PendingDelivery handle = InstrumentedDelivery.handle(entry); // ops
        if (err == KafkaError.PURGE_QUEUE || err == KafkaError.PURGE_INFLIGHT) {
            purged.incrementAndGet();
        }
        KafkaError error = err == 0 ? null : NativeProducer.error(err);
        // acks=0: the broker answers nothing and librdkafka reports RD_KAFKA_OFFSET_INVALID (-1001); -1 as documented.
        DeliveryReport report = new DeliveryReport(handle.message().topic(), partition,
                error == null && offset >= 0 ? offset : -1, timestamp, error, handle.message().label());
        counters.delivered(InstrumentedDelivery.start(entry), error); // ops
        if (entry instanceof InstrumentedDelivery instrumented) { // ops: observers first, so a waiter sees them done
            observersFailed(instrumented.complete(error == null ? report : null,
                    error == null ? null : new ProduceException(name, handle.message(), error)), handle);
        }
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
        return pending.drain(entry -> {
            PendingDelivery handle = InstrumentedDelivery.handle(entry); // ops
            ProducerClosedException closed = new ProducerClosedException("Producer '" + name
                    + "' closed before a delivery report arrived for " + handle.message());
            if (entry instanceof InstrumentedDelivery instrumented) { // ops
                observersFailed(instrumented.complete(null, closed), handle);
            }
            handle.completeExceptionally(closed);
        });
    }

    /** ops: a send observer threw; reported like a failing listener, delivery goes on. */
    private void observersFailed(Throwable thrown, PendingDelivery handle) {
        if (thrown != null) {
            events.emit(new Event.ErrorOccurred(name, "callbacks.observer.error", null, thrown, handle.message()));
        }
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
