package io.waterdrop.internal.polling;

import io.waterdrop.internal.metrics.LongRecorders;

/**
 * How long a Poller spends serving producers in each pass of its loop (the time after poll(2) returned), for the
 * {@code waterdrop.poller.serving} timer. Written by the Poller thread only; recorders run there too.
 */
public final class ServingTime {

    private final LongRecorders recorders = new LongRecorders();

    /** A pass that started serving at {@code startNanos} ended now. */
    void record(long startNanos) {
        if (!recorders.isEmpty()) {
            recorders.record(System.nanoTime() - startNanos);
        }
    }

    /** Adds a recorder of pass durations in nanoseconds; run the returned action to remove it. */
    public Runnable addRecorder(java.util.function.LongConsumer recorder) {
        return recorders.add(recorder);
    }
}
