package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The summaries as two Markdown tables: throughput per P (modes side by side), then resources per (P, mode). */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(List<Summary> summaries) {
        Set<Integer> ps = new LinkedHashSet<>();
        Set<PollingMode> modes = new LinkedHashSet<>();
        summaries.forEach(s -> {
            ps.add(s.producers());
            modes.add(s.mode());
        });
        boolean compare = modes.contains(PollingMode.THREAD) && modes.contains(PollingMode.FD);

        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("Producers"));
        for (PollingMode mode : modes) {
            header.add(mode + " msg/s (median)");
            header.add(mode + " min – max");
        }
        if (compare) {
            header.add("fd vs thread");
        }
        row(out, header);
        separator(out, header.size());
        for (int p : ps) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(p)));
            for (PollingMode mode : modes) {
                Optional<Summary> s = find(summaries, mode, p);
                cells.add(s.map(x -> grouped(x.msgsPerSec().median())).orElse("–"));
                cells.add(s.map(x -> grouped(x.msgsPerSec().min()) + " – " + grouped(x.msgsPerSec().max()))
                        .orElse("–"));
            }
            if (compare) {
                Optional<Summary> thread = find(summaries, PollingMode.THREAD, p);
                Optional<Summary> fd = find(summaries, PollingMode.FD, p);
                cells.add(thread.isPresent() && fd.isPresent()
                        ? percent(fd.get().msgsPerSec().median() / thread.get().msgsPerSec().median() - 1)
                        : "–");
            }
            row(out, cells);
        }

        out.append('\n');
        boolean idle = summaries.stream().anyMatch(s -> s.idleCpuMillisPerSecond() >= 0);
        List<String> resources = new ArrayList<>(List.of("Producers", "Mode", "JVM threads added",
                "OS threads added", "CPU ms", "CPU µs/msg", "RSS MB added", "Broker CPU ms", "Context switches",
                "Poller iterations", "Budget exhaustions"));
        if (idle) {
            resources.addAll(List.of("Idle CPU ms/s", "Idle context switches/s"));
        }
        row(out, resources);
        separator(out, resources.size());
        for (int p : ps) {
            for (PollingMode mode : modes) {
                find(summaries, mode, p).ifPresent(s -> {
                    List<String> cells = new ArrayList<>(List.of(Integer.toString(p), mode.toString(),
                            whole(s.threadsAdded()), whole(s.osThreadsAdded()), whole(s.cpuMillis()),
                            fixed(s.cpuMicrosPerMessage(), 2), fixed(s.rssMegabytes(), 1),
                            s.brokerCpuMillis() < 0 ? "–" : whole(s.brokerCpuMillis()),
                            s.contextSwitches() < 0 ? "–" : whole(s.contextSwitches()),
                            mode == PollingMode.FD ? whole(s.pollerIterations()) : "–",
                            mode == PollingMode.FD ? whole(s.budgetExhaustions()) : "–"));
                    if (idle) {
                        cells.add(s.idleCpuMillisPerSecond() < 0 ? "–" : fixed(s.idleCpuMillisPerSecond(), 2));
                        cells.add(s.idleContextSwitchesPerSecond() < 0 ? "–"
                                : whole(s.idleContextSwitchesPerSecond()));
                    }
                    row(out, cells);
                });
            }
        }
        long failed = summaries.stream().mapToLong(Summary::failedDeliveries).sum();
        if (failed > 0) {
            out.append("\n**").append(failed).append(" deliveries FAILED: these numbers are not valid.**\n");
        }
        return out.toString();
    }

    private static Optional<Summary> find(List<Summary> summaries, PollingMode mode, int p) {
        return summaries.stream().filter(s -> s.mode() == mode && s.producers() == p).findFirst();
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static void separator(StringBuilder out, int columns) {
        out.append("|").append("---:|".repeat(columns)).append('\n');
    }

    static String grouped(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    private static String whole(double value) {
        return String.format(Locale.ROOT, "%d", Math.round(value));
    }

    private static String fixed(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%+.0f%%", ratio * 100);
    }
}
