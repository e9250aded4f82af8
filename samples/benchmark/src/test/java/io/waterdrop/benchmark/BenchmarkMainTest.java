package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark on its default path: a broker in a child process, the seed scenario with every JVM client, a
 * tiny workload. Asserts on what the broker acknowledged (every delivery report, none failed), the files and the
 * table, and that no broker process is left behind. Nothing here depends on speed.
 */
class BenchmarkMainTest {

    @Test
    void runsEveryJvmClientAgainstAChildBrokerAndWritesEveryReport(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("results.csv");
        Path chart = dir.resolve("chart.png");
        BenchmarkOptions options = BenchmarkOptions.parse("--producers", "1,3", "--messages", "50", "--rounds",
                "2", "--warmup-rounds", "1", "--csv", csv.toString(), "--chart", chart.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        List<RoundResult> results = new BenchmarkMain(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        // 2 producer counts x 4 clients x 2 measured rounds, interleaved; the warm-up round is not recorded.
        List<Variant> oneRound = List.of(Variant.WATERDROP_THREAD, Variant.WATERDROP_FD,
                Variant.KAFKA_CLIENTS_DEFAULT, Variant.KAFKA_CLIENTS_TUNED);
        assertThat(results).hasSize(16);
        assertThat(results.subList(0, 4)).extracting(RoundResult::variant).containsExactlyElementsOf(oneRound);
        assertThat(results.subList(12, 16)).extracting(RoundResult::variant).containsExactlyElementsOf(oneRound);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.scenario()).isEqualTo(Scenario.SEED);
            assertThat(r.failedDeliveries()).isZero();
            assertThat(r.messages()).isEqualTo(50);
            assertThat(r.elapsedNanos()).isPositive();
            assertThat(r.cpuNanos()).isPositive();
        });
        assertThat(results).filteredOn(r -> r.variant() != Variant.WATERDROP_FD)
                .allSatisfy(r -> assertThat(r.pollerIterations()).isZero());
        assertThat(results).filteredOn(r -> r.variant() == Variant.WATERDROP_FD)
                .allSatisfy(r -> assertThat(r.pollerIterations()).isPositive());
        // kafka-clients runs one network thread per producer.
        assertThat(results).filteredOn(r -> r.variant().client().equals("kafka-clients") && r.producers() == 3)
                .allSatisfy(r -> assertThat(r.threadsAdded()).isGreaterThanOrEqualTo(3));

        assertThat(Files.readAllLines(csv)).hasSize(17).first().isEqualTo(CsvReport.HEADER);
        assertThat(ImageIO.read(chart.toFile()).getWidth()).isEqualTo(BarChart.WIDTH);
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| Producers | waterdrop thread msg/s | waterdrop fd msg/s |")
                .contains("| 3 | waterdrop fd |").contains("| 3 | kafka-clients tuned |");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("Starting a KRaft broker in a child process")
                .contains("warm-up 1/1").contains("round 2/2");

        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(BrokerMain.class.getName())))
                .as("broker child processes still running")
                .isEmpty();
    }
}
