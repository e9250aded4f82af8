package io.waterdrop.internal.metrics;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Recorders of durations (Micrometer timers, usually) that a hot path hands values to. Copy-on-write: checking for
 * "none" is one volatile read, adding and removing are rare.
 */
public final class LongRecorders {

    private static final LongConsumer[] NONE = {};

    private volatile LongConsumer[] recorders = NONE;

    public boolean isEmpty() {
        return recorders.length == 0;
    }

    /** Hands {@code value} to every recorder, on the calling thread. */
    public void record(long value) {
        for (LongConsumer recorder : recorders) {
            recorder.accept(value);
        }
    }

    /** Adds a recorder; run the returned action to remove it. */
    public synchronized Runnable add(LongConsumer recorder) {
        LongConsumer[] next = Arrays.copyOf(recorders, recorders.length + 1);
        next[recorders.length] = recorder;
        recorders = next;
        return () -> remove(recorder);
    }

    private synchronized void remove(LongConsumer recorder) {
        recorders = Arrays.stream(recorders).filter(r -> r != recorder).toArray(LongConsumer[]::new);
    }
}
