package io.waterdrop.internal.metrics;

import io.waterdrop.internal.producer.PendingDelivery;
import io.waterdrop.DeliveryReport;

/**
 * A pending message that is timed (its produce time) or observed (its send observers): what a delivery tracker
 * keeps in place of the bare handle for those messages only, so untimed, unobserved messages cost no allocation.
 */
public final class InstrumentedDelivery {

    private final PendingDelivery handle;
    private final long deliveryStart;
    private final SendObservers.Send observed;

    private InstrumentedDelivery(PendingDelivery handle, long deliveryStart, SendObservers.Send observed) {
        this.handle = handle;
        this.deliveryStart = deliveryStart;
        this.observed = observed;
    }

    /**
     * What to track for a message: the handle itself, or an instrumented entry.
     *
     * @param deliveryStart from {@link ProducerCounters#deliveryStart()}, 0 when not timed
     * @param observed the message's send observers, or {@code null}
     */
    public static Object of(PendingDelivery handle, long deliveryStart, SendObservers.Send observed) {
        return deliveryStart == 0 && observed == null ? handle
                : new InstrumentedDelivery(handle, deliveryStart, observed);
    }

    /** The handle of a tracked entry. */
    public static PendingDelivery handle(Object entry) {
        return entry instanceof InstrumentedDelivery instrumented ? instrumented.handle : (PendingDelivery) entry;
    }

    /** The produce time of a tracked entry, 0 when it is not timed. */
    public static long start(Object entry) {
        return entry instanceof InstrumentedDelivery instrumented ? instrumented.deliveryStart : 0;
    }

    /** Tells the send observers, if any; returns what one of them threw, or {@code null}. */
    public Throwable complete(DeliveryReport report, Throwable failure) {
        return observed == null ? null : observed.complete(report, failure);
    }
}
