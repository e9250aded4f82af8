package io.waterdrop.benchmark;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;

/** clock_gettime(CLOCK_PROCESS_CPUTIME_ID) through jnr-ffi (already on the classpath for the producer). */
final class CpuClock {

    /** Linux's CLOCK_PROCESS_CPUTIME_ID: CPU time of every thread of the process, in nanoseconds. */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    /** The slice of libc this class needs. */
    public interface Clock {
        @IgnoreError
        int clock_gettime(int clockId, @Out long[] timespec);
    }

    private static final Clock CLOCK = load();

    private CpuClock() {
    }

    private static Clock load() {
        try {
            Clock clock = LibraryLoader.create(Clock.class).failImmediately().load("c");
            return clock.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, new long[2]) == 0 ? clock : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Process CPU time in nanoseconds, or -1 when libc's clock is not available. */
    static long processCpuNanos() {
        if (CLOCK == null) {
            return -1;
        }
        long[] timespec = new long[2]; // struct timespec { time_t tv_sec; long tv_nsec; } on 64-bit Linux
        if (CLOCK.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, timespec) != 0) {
            return -1;
        }
        return timespec[0] * 1_000_000_000L + timespec[1];
    }
}
