package io.waterdrop.internal.polling;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * How long a Poller spends serving producers in each pass of its loop (the time after poll(2) returned), for the
 * {@code waterdrop.poller.serving} timer. Written by the Poller thread only; recorders run there too.
 */
public final class ServingTime {

    private static final LongConsumer[] NONE = {};

    private volatile LongConsumer[] recorders = NONE;

    /** A pass that started serving at {@code startNanos} ended now. */
    void record(long startNanos) {
        LongConsumer[] current = recorders;
        if (current.length == 0) {
            return;
        }
        long nanos = System.nanoTime() - startNanos;
        for (LongConsumer recorder : current) {
            recorder.accept(nanos);
        }
    }

    /** Adds a recorder of pass durations in nanoseconds; run the returned action to remove it. */
    public synchronized Runnable addRecorder(LongConsumer recorder) {
        LongConsumer[] next = Arrays.copyOf(recorders, recorders.length + 1);
        next[recorders.length] = recorder;
        recorders = next;
        return () -> remove(recorder);
    }

    private synchronized void remove(LongConsumer recorder) {
        recorders = Arrays.stream(recorders).filter(r -> r != recorder).toArray(LongConsumer[]::new);
    }
}
