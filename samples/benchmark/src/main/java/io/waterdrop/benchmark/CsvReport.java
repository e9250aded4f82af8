package io.waterdrop.benchmark;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes one CSV row per measured round; numbers use '.' as decimal separator whatever the locale, and -1 marks a
 * value that was not measured (e.g. latency outside the latency scenarios, idle cost without --idle-seconds).
 */
public final class CsvReport {

    public static final String HEADER = "scenario,client,mode,producers,messages,payload_bytes,round,elapsed_ms,"
            + "msgs_per_sec,threads_added,os_threads_added,cpu_ms,cpu_us_per_msg,rss_mb,broker_cpu_ms,"
            + "poller_iterations,poller_budget_exhaustions,failed_deliveries,ctx_switches,idle_cpu_ms_per_s,"
            + "idle_ctx_switches_per_s,idle_polling_threads_cpu_ms_per_s,latency_min_ms,latency_p50_ms,"
            + "latency_p99_ms,latency_p999_ms,latency_max_ms";

    private CsvReport() {
    }

    public static void write(Path file, List<RoundResult> results) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out = Files.newBufferedWriter(file)) {
            write(out, results);
        }
    }

    public static void write(Writer out, List<RoundResult> results) throws IOException {
        out.write(HEADER);
        out.write('\n');
        for (RoundResult r : results) {
            out.write(row(r));
            out.write('\n');
        }
    }

    static String row(RoundResult r) {
        Latency l = r.latency();
        return String.join(",", r.scenario().label(), r.variant().client(), r.variant().mode(),
                Integer.toString(r.producers()), Integer.toString(r.messages()), Integer.toString(r.payloadBytes()),
                Integer.toString(r.round()), decimal(r.elapsedNanos() / 1e6, 3), decimal(r.msgsPerSec(), 1),
                Integer.toString(r.threadsAdded()), Integer.toString(r.osThreadsAdded()), decimal(r.cpuMillis(), 1),
                decimal(r.cpuMicrosPerMessage(), 3), decimal(r.rssMegabytes(), 2), decimal(r.brokerCpuMillis(), 1),
                Long.toString(r.pollerIterations()), Long.toString(r.pollerBudgetExhaustions()),
                Long.toString(r.failedDeliveries()), Long.toString(r.contextSwitches()),
                decimal(r.idle().cpuMillisPerSecond(), 3), decimal(r.idle().contextSwitchesPerSecond(), 1),
                decimal(r.idle().pollingThreadsCpuMillisPerSecond(), 3), millis(l.minNanos()),
                millis(l.p50Nanos()), millis(l.p99Nanos()), millis(l.p999Nanos()), millis(l.maxNanos()));
    }

    private static String millis(long nanos) {
        return decimal(Latency.millis(nanos), 3);
    }

    private static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }
}
