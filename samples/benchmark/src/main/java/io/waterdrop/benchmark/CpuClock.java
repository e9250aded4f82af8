package io.waterdrop.benchmark;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;

/**
 * clock_gettime(CLOCK_PROCESS_CPUTIME_ID) and getrusage(RUSAGE_SELF) through jnr-ffi (already on the classpath for
 * the producer).
 */
final class CpuClock {

    /** Linux's CLOCK_PROCESS_CPUTIME_ID: CPU time of every thread of the process, in nanoseconds. */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    private static final int RUSAGE_SELF = 0;
    /** struct rusage on 64-bit Linux: two timevals, then 14 longs; ru_nvcsw and ru_nivcsw are the last two. */
    private static final int RUSAGE_LONGS = 18;
    private static final int RU_NVCSW = 16;
    private static final int RU_NIVCSW = 17;

    /** The slice of libc this class needs. */
    public interface Clock {
        @IgnoreError
        int clock_gettime(int clockId, @Out long[] timespec);

        @IgnoreError
        int getrusage(int who, @Out long[] rusage);
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

    /**
     * Voluntary plus involuntary context switches of the whole process, threads that already ended included (which
     * a sum over /proc/self/task would lose), or -1 when libc is not available.
     */
    static long processContextSwitches() {
        if (CLOCK == null) {
            return -1;
        }
        long[] rusage = new long[RUSAGE_LONGS];
        if (CLOCK.getrusage(RUSAGE_SELF, rusage) != 0) {
            return -1;
        }
        return rusage[RU_NVCSW] + rusage[RU_NIVCSW];
    }
}
