package io.waterdrop.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The summaries as Markdown tables, by scenario: throughput per P with the clients side by side and their ratios
 * (seed, bulk, many), latency percentiles (latency), connect-to-first-acknowledgement times (first-message), then
 * resources per (P, client).
 */
public final class MarkdownReport {

    /** What the WaterDrop variants are compared with in the ratio table, in column order. */
    private static final List<Variant> REFERENCES = List.of(Variant.WATERDROP_THREAD, Variant.KAFKA_CLIENTS_DEFAULT,
            Variant.KAFKA_CLIENTS_TUNED, Variant.C);

    private MarkdownReport() {
    }

    public static String render(Scenario scenario, List<Summary> summaries) {
        StringBuilder out = new StringBuilder();
        switch (scenario) {
            case LATENCY -> latency(out, summaries);
            case FIRST_MESSAGE -> firstMessage(out, summaries);
            case TRANSACTION -> transactions(out, summaries);
            default -> throughput(out, summaries);
        }
        if (scenario != Scenario.FIRST_MESSAGE && scenario != Scenario.TRANSACTION) {
            out.append('\n');
            resources(out, summaries);
        }
        long failed = summaries.stream().mapToLong(Summary::failedDeliveries).sum();
        if (failed > 0) {
            out.append("\n**").append(failed).append(" deliveries FAILED: these numbers are not valid.**\n");
        }
        return out.toString();
    }

    private static void throughput(StringBuilder out, List<Summary> summaries) {
        Set<Integer> ps = producerCounts(summaries);
        Set<Variant> variants = variants(summaries);
        List<String> header = new ArrayList<>(List.of("Producers"));
        variants.forEach(v -> header.add(v.label() + " msg/s"));
        row(out, header);
        separator(out, header.size());
        for (int p : ps) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(p)));
            for (Variant v : variants) {
                cells.add(find(summaries, v, p).map(s -> grouped(s.msgsPerSec().median()) + " ("
                        + grouped(s.msgsPerSec().min()) + " – " + grouped(s.msgsPerSec().max()) + ")").orElse("–"));
            }
            row(out, cells);
        }
        out.append("\nmsg/s: median of the rounds (min – max).\n");

        List<Variant> references = REFERENCES.stream().filter(variants::contains).toList();
        List<Variant> subjects = variants.stream().filter(Variant::isWaterDrop).toList();
        if (subjects.isEmpty() || references.stream().noneMatch(r -> subjects.stream().anyMatch(s -> s != r))) {
            return;
        }
        out.append('\n');
        List<String> ratios = new ArrayList<>(List.of("Producers", "Client"));
        references.forEach(r -> ratios.add("vs " + r.label()));
        row(out, ratios);
        separator(out, ratios.size());
        for (int p : ps) {
            for (Variant subject : subjects) {
                find(summaries, subject, p).ifPresent(s -> {
                    List<String> cells = new ArrayList<>(List.of(Integer.toString(p), subject.label()));
                    for (Variant reference : references) {
                        cells.add(reference == subject ? "–" : find(summaries, reference, p)
                                .map(r -> times(s.msgsPerSec().median() / r.msgsPerSec().median()) + " / "
                                        + times(s.pairedRatio(r).orElse(Double.NaN))).orElse("–"));
                    }
                    row(out, cells);
                });
            }
        }
        out.append("\nRatio of the median msg/s / median of the ratios within each round (1.00× = as fast).\n");
    }

    private static void latency(StringBuilder out, List<Summary> summaries) {
        List<String> header = new ArrayList<>(List.of("Producers", "Client", "msg/s"));
        Summary.PERCENTILES.forEach(q -> header.add(q + " ms"));
        header.add("CPU µs/msg");
        row(out, header);
        separator(out, header.size());
        for (Summary s : summaries) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(s.producers()), s.variant().label(),
                    grouped(s.msgsPerSec().median())));
            Summary.PERCENTILES.forEach(q -> cells.add(s.hasLatency() ? fixed(s.latencyMillis().get(q).median(), 2)
                    : "–"));
            cells.add(fixed(s.cpuMicrosPerMessage(), 2));
            row(out, cells);
        }
        out.append("\nProduce → acknowledgement, from each message's scheduled send time; median over the rounds of "
                + "each round's percentile.\n");
    }

    private static void transactions(StringBuilder out, List<Summary> summaries) {
        timings(out, summaries, "Transactions", List.of("min", "p50", "p99", "max"), "CPU ms per transaction", 2);
        out.append("\nEach transaction timed from transaction() to its return: M produceAsync calls, then the commit; "
                + "median over the rounds of each round's percentile.\n");
    }

    private static void firstMessage(StringBuilder out, List<Summary> summaries) {
        timings(out, summaries, "Fresh producers", List.of("min", "p50", "max"), "CPU ms per producer", 1);
        out.append("\nFrom creating and connecting a fresh producer to the acknowledgement of its first message, "
                + "producers one after the other.\n");
    }

    /** One row per client: the median over the rounds of each percentile (p50 shown as "median"), then CPU. */
    private static void timings(StringBuilder out, List<Summary> summaries, String countColumn,
            List<String> percentiles, String cpuColumn, int cpuDecimals) {
        List<String> header = new ArrayList<>(List.of(countColumn, "Client"));
        percentiles.forEach(q -> header.add((q.equals("p50") ? "median" : q) + " ms"));
        header.add(cpuColumn);
        row(out, header);
        separator(out, header.size());
        for (Summary s : summaries) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(s.producers()), s.variant().label()));
            percentiles.forEach(q -> cells.add(s.hasLatency() ? fixed(s.latencyMillis().get(q).median(), 1) : "–"));
            cells.add(fixed(s.cpuMillis() / s.producers(), cpuDecimals));
            row(out, cells);
        }
    }

    private static void resources(StringBuilder out, List<Summary> summaries) {
        boolean idle = summaries.stream().anyMatch(s -> s.idleCpuMillisPerSecond() >= 0);
        List<String> header = new ArrayList<>(List.of("Producers", "Client", "JVM threads added",
                "OS threads added", "CPU ms", "CPU µs/msg", "RSS MB added", "Broker CPU ms", "Context switches",
                "Poller iterations", "Budget exhaustions"));
        if (idle) {
            header.addAll(List.of("Idle CPU ms/s", "Idle context switches/s", "Idle polling threads CPU ms/s"));
        }
        row(out, header);
        separator(out, header.size());
        for (Summary s : summaries) {
            boolean fd = s.variant() == Variant.WATERDROP_FD;
            List<String> cells = new ArrayList<>(List.of(Integer.toString(s.producers()), s.variant().label(),
                    s.variant() == Variant.C ? "–" : whole(s.threadsAdded()), orDash(s.osThreadsAdded()),
                    whole(s.cpuMillis()), fixed(s.cpuMicrosPerMessage(), 2),
                    fixed(s.rssMegabytes(), 1), orDash(s.brokerCpuMillis()),
                    orDash(s.contextSwitches()), fd ? whole(s.pollerIterations()) : "–",
                    fd ? whole(s.budgetExhaustions()) : "–"));
            if (idle) {
                cells.add(s.idleCpuMillisPerSecond() < 0 ? "–" : fixed(s.idleCpuMillisPerSecond(), 2));
                cells.add(orDash(s.idleContextSwitchesPerSecond()));
                cells.add(s.idlePollingThreadsCpuMillisPerSecond() < 0 ? "–"
                        : fixed(s.idlePollingThreadsCpuMillisPerSecond(), 2));
            }
            row(out, cells);
        }
    }

    static Set<Integer> producerCounts(List<Summary> summaries) {
        Set<Integer> ps = new LinkedHashSet<>();
        summaries.forEach(s -> ps.add(s.producers()));
        return ps;
    }

    static Set<Variant> variants(List<Summary> summaries) {
        Set<Variant> variants = new LinkedHashSet<>();
        summaries.forEach(s -> variants.add(s.variant()));
        return variants;
    }

    static Optional<Summary> find(List<Summary> summaries, Variant variant, int p) {
        return summaries.stream().filter(s -> s.variant() == variant && s.producers() == p).findFirst();
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

    private static String orDash(double value) {
        return value < 0 ? "–" : whole(value);
    }

    private static String fixed(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
