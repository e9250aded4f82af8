package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    private static final List<RoundResult> ROUNDS = List.of(
            round(Variant.WATERDROP_THREAD, 125_000_000L, 5, 20, 62_500_000L, 40_000_000L, 0, 0, 250, Idle.NONE),
            round(Variant.WATERDROP_FD, 100_000_000L, 1, 16, 50_000_000L, -1, 42, 3, 90,
                    new Idle(2_000_000_000L, 10_000_000L, 30, 1_000_000L)),
            round(Variant.KAFKA_CLIENTS_TUNED, 200_000_000L, 6, 6, 100_000_000L, 30_000_000L, 0, 0, 300, Idle.NONE),
            round(Variant.C, 50_000_000L, 0, 3, 10_000_000L, 20_000_000L, 0, 0, 40, Idle.NONE));

    private static RoundResult round(Variant variant, long elapsed, int threads, int osThreads, long cpu,
            long brokerCpu, long iterations, long exhaustions, long switches, Idle idle) {
        return new RoundResult(Scenario.SEED, variant, 5, 1_000, 100, 1, elapsed, threads, osThreads, cpu, 1 << 20,
                brokerCpu, iterations, exhaustions, 0, switches, idle, Latency.NONE);
    }

    private static RoundResult latencyRound(Scenario scenario, Variant variant, int round, long[] latencies) {
        return new RoundResult(scenario, variant, 25, 1_000, 100, round, 2_500_000_000L, 25, 75, 500_000_000L, -1,
                -1, 0, 0, 0, -1, Idle.NONE, Latency.of(latencies));
    }

    @Test
    void csvHasTheRequiredColumnsAndOneRowPerRound() throws Exception {
        StringWriter out = new StringWriter();

        CsvReport.write(out, ROUNDS);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0).split(",")).startsWith("scenario", "client", "mode", "producers", "messages",
                "payload_bytes", "round").contains("msgs_per_sec", "threads_added", "os_threads_added", "cpu_ms",
                "cpu_us_per_msg", "rss_mb", "ctx_switches", "idle_cpu_ms_per_s", "idle_ctx_switches_per_s",
                "idle_polling_threads_cpu_ms_per_s", "latency_p50_ms", "latency_p99_ms", "latency_p999_ms");
        assertThat(lines.get(1)).isEqualTo("seed,waterdrop,thread,5,1000,100,1,125.000,40000.0,5,20,62.5,12.500,"
                + "1.00,40.0,0,0,0,250,-1.000,-1.0,-1.000,-1.000,-1.000,-1.000,-1.000,-1.000");
        assertThat(lines.get(2)).isEqualTo("seed,waterdrop,fd,5,1000,100,1,100.000,50000.0,1,16,50.0,10.000,1.00,"
                + "-1.0,42,3,0,90,5.000,15.0,0.500,-1.000,-1.000,-1.000,-1.000,-1.000");
        assertThat(lines.get(3)).startsWith("seed,kafka-clients,tuned,5,");
        assertThat(lines.get(4)).startsWith("seed,c,librdkafka,5,");
    }

    @Test
    void csvCarriesTheLatencyPercentilesInMilliseconds() throws Exception {
        StringWriter out = new StringWriter();

        CsvReport.write(out, List.of(latencyRound(Scenario.LATENCY, Variant.WATERDROP_FD, 1,
                new long[] {3_000_000L, 1_000_000L, 2_000_000L, 9_000_000L})));

        assertThat(out.toString().lines().skip(1).findFirst().orElseThrow())
                .startsWith("latency,waterdrop,fd,25,").endsWith(",1.000,2.000,9.000,9.000,9.000");
    }

    @Test
    void csvNumbersIgnoreTheDefaultLocale() throws Exception {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            StringWriter out = new StringWriter();
            CsvReport.write(out, ROUNDS);
            assertThat(out.toString()).contains(",62.5,").doesNotContain(",62,5,");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void csvFileIsWrittenWithItsDirectories(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/results.csv");

        CsvReport.write(file, ROUNDS);

        assertThat(Files.readAllLines(file)).hasSize(5).first().isEqualTo(CsvReport.HEADER);
    }

    @Test
    void latencyPercentilesAreNearestRank() {
        long[] samples = new long[1_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = samples.length - i; // 1,000 down to 1, unsorted
        }

        Latency latency = Latency.of(samples);

        assertThat(latency.minNanos()).isEqualTo(1);
        assertThat(latency.p50Nanos()).isEqualTo(500);
        assertThat(latency.p99Nanos()).isEqualTo(990);
        assertThat(latency.p999Nanos()).isEqualTo(999);
        assertThat(latency.maxNanos()).isEqualTo(1_000);
        assertThat(latency.count()).isEqualTo(1_000);
        assertThat(Latency.of(new long[0])).isEqualTo(Latency.NONE);
    }

    @Test
    void markdownShowsTheClientsSideBySideWithTheirRatios() {
        String table = MarkdownReport.render(Scenario.SEED, Summary.of(ROUNDS));

        assertThat(table).contains("| Producers | waterdrop thread msg/s | waterdrop fd msg/s | kafka-clients tuned "
                + "msg/s | c librdkafka msg/s |");
        assertThat(table).contains("| 5 | 40,000 (40,000 – 40,000) | 50,000 (50,000 – 50,000) | "
                + "25,000 (25,000 – 25,000) | 100,000 (100,000 – 100,000) |");
        assertThat(table).contains("| Producers | Client | vs waterdrop thread | vs kafka-clients tuned | "
                + "vs c librdkafka |");
        assertThat(table).contains("| 5 | waterdrop thread | – | 1.60× / 1.60× | 0.40× / 0.40× |");
        assertThat(table).contains("| 5 | waterdrop fd | 1.25× / 1.25× | 2.00× / 2.00× | 0.50× / 0.50× |");
        assertThat(table).contains("| Idle CPU ms/s | Idle context switches/s | Idle polling threads CPU ms/s |");
        assertThat(table).contains("| 5 | waterdrop thread | 5 | 20 | 63 | 12.50 | 1.0 | 40 | 250 | – | – | – | – "
                + "| – |");
        assertThat(table).contains("| 5 | waterdrop fd | 1 | 16 | 50 | 10.00 | 1.0 | – | 90 | 42 | 3 | 5.00 | 15 "
                + "| 0.50 |");
        assertThat(table).contains("| 5 | c librdkafka | – | 3 | 10 | 2.00 | 1.0 | 20 | 40 | – | – |");
        assertThat(table).doesNotContain("FAILED");
    }

    @Test
    void pairedRatiosCompareTheClientsOfTheSameRound() {
        // thread: 100 then 300 msg/s; fd: 150 then 300 msg/s (1.5x, then 1.0x within each round).
        List<RoundResult> rounds = List.of(
                new RoundResult(Scenario.BULK, Variant.WATERDROP_THREAD, 1, 100, 100, 1, 1_000_000_000L, 1, 4, 1, 0,
                        -1, 0, 0, 0, -1, Idle.NONE, Latency.NONE),
                new RoundResult(Scenario.BULK, Variant.WATERDROP_FD, 1, 150, 100, 1, 1_000_000_000L, 1, 4, 1, 0, -1,
                        0, 0, 0, -1, Idle.NONE, Latency.NONE),
                new RoundResult(Scenario.BULK, Variant.WATERDROP_THREAD, 1, 300, 100, 2, 1_000_000_000L, 1, 4, 1, 0,
                        -1, 0, 0, 0, -1, Idle.NONE, Latency.NONE),
                new RoundResult(Scenario.BULK, Variant.WATERDROP_FD, 1, 300, 100, 2, 1_000_000_000L, 1, 4, 1, 0, -1,
                        0, 0, 0, -1, Idle.NONE, Latency.NONE));

        List<Summary> summaries = Summary.of(rounds);

        assertThat(summaries.get(1).pairedRatio(summaries.get(0))).hasValue(1.25);
        // Medians: 225 / 200 msg/s.
        assertThat(MarkdownReport.render(Scenario.BULK, summaries)).contains("| 1 | waterdrop fd | 1.13× / 1.25× |");
    }

    @Test
    void markdownShowsLatencyPercentilesPerClient() {
        List<RoundResult> rounds = List.of(
                latencyRound(Scenario.LATENCY, Variant.WATERDROP_FD, 1, new long[] {1_000_000L, 2_000_000L}),
                latencyRound(Scenario.LATENCY, Variant.KAFKA_CLIENTS_DEFAULT, 1, new long[] {4_000_000L}),
                latencyRound(Scenario.LATENCY, Variant.WATERDROP_FD, 2, new long[] {3_000_000L, 4_000_000L}),
                latencyRound(Scenario.LATENCY, Variant.KAFKA_CLIENTS_DEFAULT, 2, new long[] {6_000_000L}));

        String table = MarkdownReport.render(Scenario.LATENCY, Summary.of(rounds));

        assertThat(table).contains("| Producers | Client | msg/s | min ms | p50 ms | p99 ms | p99.9 ms | max ms | "
                + "CPU µs/msg |");
        // Median over the two rounds of each round's percentile: p50 is 1 ms and 3 ms, so 2 ms.
        assertThat(table).contains("| 25 | waterdrop fd | 10,000 | 2.00 | 2.00 | 3.00 | 3.00 | 3.00 | 20.00 |");
        assertThat(table).contains("| 25 | kafka-clients default | 10,000 | 5.00 | 5.00 | 5.00 | 5.00 | 5.00 |");
    }

    @Test
    void markdownShowsFirstMessageTimesWithoutAResourcesTable() {
        RoundResult first = new RoundResult(Scenario.FIRST_MESSAGE, Variant.WATERDROP_THREAD, 3, 1, 100, 1,
                3_000_000_000L, 0, 0, 300_000_000L, -1, -1, 0, 0, 0, -1, Idle.NONE,
                Latency.of(new long[] {1_500_000_000L, 500_000_000L, 1_000_000_000L}));

        String table = MarkdownReport.render(Scenario.FIRST_MESSAGE, Summary.of(List.of(first)));

        assertThat(table).contains("| Fresh producers | Client | min ms | median ms | max ms | CPU ms per producer |")
                .contains("| 3 | waterdrop thread | 500.0 | 1000.0 | 1500.0 | 100.0 |")
                .doesNotContain("JVM threads added");
    }

    @Test
    void markdownFlagsFailedDeliveries() {
        RoundResult failed = new RoundResult(Scenario.SEED, Variant.WATERDROP_FD, 1, 10, 100, 1, 1_000_000L, 1, 4,
                1, 0, -1, 1, 0, 2, -1, Idle.NONE, Latency.NONE);

        assertThat(MarkdownReport.render(Scenario.SEED, Summary.of(List.of(failed))))
                .contains("2 deliveries FAILED: these numbers are not valid.")
                .doesNotContain("Idle CPU")
                .doesNotContain("vs waterdrop thread");
    }

    @Test
    void theCProgramsResultLineBecomesABulkRound() {
        RoundResult r = CBulkRunner.parse("RESULT elapsed_ns=500000000 cpu_ns=400000000 delivered=1000000 failed=0 "
                + "ctx_switches=1200 os_threads_added=6 rss_kb_added=2048", 1_000_000, 100, 3, 7_000_000L);

        assertThat(r.variant()).isEqualTo(Variant.C);
        assertThat(r.scenario()).isEqualTo(Scenario.BULK);
        assertThat(r.round()).isEqualTo(3);
        assertThat(r.msgsPerSec()).isEqualTo(2_000_000.0);
        assertThat(r.cpuMicrosPerMessage()).isEqualTo(0.4);
        assertThat(r.osThreadsAdded()).isEqualTo(6);
        assertThat(r.rssMegabytes()).isEqualTo(2.0);
        assertThat(r.contextSwitches()).isEqualTo(1_200);
        assertThat(r.brokerCpuNanos()).isEqualTo(7_000_000L);
        assertThatThrownBy(() -> CBulkRunner.parse("RESULT elapsed_ns=1", 1, 100, 1, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rdkafka_bulk's RESULT line has no rss_kb_added");
    }

    @Test
    void chartsArePngsOfTheExpectedSizeForEveryKindOfScenario(@TempDir Path dir) throws Exception {
        List<RoundResult> latency = List.of(latencyRound(Scenario.LATENCY, Variant.WATERDROP_FD, 1,
                new long[] {1_000_000L, 2_000_000L}));
        for (Scenario scenario : List.of(Scenario.SEED, Scenario.LATENCY, Scenario.FIRST_MESSAGE)) {
            Path file = dir.resolve(scenario.label() + ".png");

            BarChart.write(file, scenario, Summary.of(scenario == Scenario.SEED ? ROUNDS : latency), "title",
                    "subtitle");

            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image.getWidth()).isEqualTo(BarChart.WIDTH);
            assertThat(image.getHeight()).isEqualTo(BarChart.HEIGHT);
        }
    }

    @Test
    void axisStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertThat(BarChart.niceStep(7_300)).isEqualTo(10_000);
        assertThat(BarChart.niceStep(1_600)).isEqualTo(2_000);
        assertThat(BarChart.niceStep(2_100)).isEqualTo(2_500);
        assertThat(BarChart.niceStep(45)).isEqualTo(50);
        assertThat(BarChart.niceStep(100)).isEqualTo(100);
    }
}
