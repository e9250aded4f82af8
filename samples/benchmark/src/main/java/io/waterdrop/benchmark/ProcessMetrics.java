package io.waterdrop.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what one benchmark run costs the process: JVM threads (ThreadMXBean), OS threads and RSS
 * ({@code /proc/self/status}, so librdkafka's native threads and malloc'd memory count too) and process CPU time.
 * On a system without {@code /proc} the OS values are -1.
 */
public final class ProcessMetrics {

    /** Linux reports utime/stime in USER_HZ ticks, which is 100 on every mainstream architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessMetrics() {
    }

    /** One reading of this process. */
    public record Sample(int jvmThreads, int osThreads, long rssBytes, long cpuNanos) {
    }

    public static Sample sample() {
        int osThreads = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    osThreads = Integer.parseInt(line.substring("Threads:".length()).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = parseKb(line.substring("VmRSS:".length())) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the JVM-side numbers still work.
        }
        return new Sample(THREADS.getThreadCount(), osThreads, rss, processCpuNanos());
    }

    /**
     * CPU time of the whole process in nanoseconds. OperatingSystemMXBean.getProcessCpuTime() counts in 10 ms
     * ticks on Linux (it uses times(2)), too coarse for rounds of a few tens of milliseconds, so
     * clock_gettime(CLOCK_PROCESS_CPUTIME_ID) is read instead when libc is reachable.
     */
    public static long processCpuNanos() {
        long precise = CpuClock.processCpuNanos();
        return precise >= 0 ? precise : OS.getProcessCpuTime();
    }

    /**
     * CPU time of the live JVM threads whose names start with {@code prefix} (e.g. {@code waterdrop.poller#}), from
     * {@link ThreadMXBean#getThreadCpuTime} (the thread's own clock on Linux, nanosecond resolution); -1 for an
     * empty prefix or when the JVM does not measure thread CPU time.
     */
    public static long threadsCpuNanos(String prefix) {
        if (prefix.isEmpty() || !THREADS.isThreadCpuTimeSupported()) {
            return -1;
        }
        long total = 0;
        for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu); // -1: the thread ended meanwhile
            }
        }
        return total;
    }

    /**
     * CPU time (user + system, all threads) another process has used, from {@code /proc/<pid>/stat}; -1 when it
     * cannot be read. Used for the child broker, to show how busy the broker side was.
     */
    public static long cpuNanosOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; the fixed fields start after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long utime = Long.parseLong(fields[11]); // field 14 of the whole line
            long stime = Long.parseLong(fields[12]); // field 15
            return (utime + stime) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Voluntary plus involuntary context switches of the whole process (getrusage), -1 when unavailable. Each
     * voluntary switch is a thread going to sleep, so a difference over a period counts wake-ups.
     */
    public static long contextSwitches() {
        long rusage = CpuClock.processContextSwitches();
        return rusage >= 0 ? rusage : liveThreadContextSwitches();
    }

    /** The fallback: a sum over the threads alive now ({@code /proc/self/task/}*); ended threads are lost. */
    private static long liveThreadContextSwitches() {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")
                                || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException vanished) {
                    // The thread ended while we listed: its switches are gone with it.
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Waits (up to {@code max}) until the OS thread count has not changed for {@code quiet}: the JVM starts and
     * stops GC and JIT compiler threads on demand, and librdkafka threads of just-closed producers may still be
     * ending. A baseline taken while they come and go would be off by dozens of threads.
     *
     * @return whether the count settled
     */
    public static boolean awaitSettledThreads(java.time.Duration quiet, java.time.Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        int last = sample().osThreads();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50); // the polling interval of this wait
            int now = sample().osThreads();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= quiet.toNanos()) {
                return true;
            }
        }
        return false;
    }

    private static long parseKb(String value) {
        return Long.parseLong(value.trim().split("\\s+")[0]);
    }
}
