package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario at a tiny size against one broker in a child process: each client's rounds come back complete,
 * the scenario's own numbers are there (latency percentiles, idle cost, first-message times), and the topic holds
 * exactly the messages the rounds sent. Seconds per scenario; nothing depends on speed.
 */
class ScenariosSmokeTest {

    /** Where the documented gcc command puts the C program; CI never builds it. */
    private static final Path C_BINARY = Path.of(System.getProperty("waterdrop.benchmark.c-binary",
            "target/rdkafka_bulk"));

    private static ChildBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildBroker.start(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void bulkRunsEveryJvmClientAndTheTopicHoldsEveryMessage() throws Exception {
        String topic = topic();
        List<RoundResult> results = run("--scenario", "bulk", "--messages", "300", "--rounds", "1",
                "--warmup-rounds", "0", "--topic", topic);

        assertThat(results).extracting(RoundResult::variant).containsExactly(Variant.WATERDROP_THREAD,
                Variant.WATERDROP_FD, Variant.KAFKA_CLIENTS_DEFAULT, Variant.KAFKA_CLIENTS_TUNED);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.failedDeliveries()).isZero();
            assertThat(r.producers()).isEqualTo(1);
            assertThat(r.messages()).isEqualTo(300);
        });
        // Each round: one priming message, then the 300 measured ones.
        assertThat(endOffset(topic)).isEqualTo(4 * 301);
    }

    @Test
    void bulkRunsTheCProgramInterleavedWithTheJvmClients() throws Exception {
        assumeThat(Files.isExecutable(C_BINARY))
                .as("the C client is not built (CI does not build it); build it with: " + CBulkRunner.BUILD_COMMAND)
                .isTrue();
        String topic = topic();
        List<RoundResult> results = run("--scenario", "bulk", "--messages", "300", "--rounds", "2",
                "--warmup-rounds", "0", "--topic", topic, "--client", "waterdrop,c", "--modes", "fd",
                "--c-binary", C_BINARY.toString());

        assertThat(results).extracting(RoundResult::variant).containsExactly(Variant.WATERDROP_FD, Variant.C,
                Variant.WATERDROP_FD, Variant.C);
        assertThat(results).filteredOn(r -> r.variant() == Variant.C).allSatisfy(r -> {
            assertThat(r.failedDeliveries()).isZero();
            assertThat(r.cpuNanos()).isPositive();
            assertThat(r.osThreadsAdded()).as("librdkafka's own threads in the C process").isPositive();
        });
        assertThat(endOffset(topic)).isEqualTo(4 * 301);
    }

    @Test
    void latencyRecordsPercentilesForEveryMessageAtTheGivenRate() throws Exception {
        Path csv = dir.resolve("latency.csv");
        List<RoundResult> results = run("--scenario", "latency", "--producers", "5", "--messages", "20", "--rate",
                "500", "--rounds", "1", "--warmup-rounds", "0", "--csv", csv.toString());

        assertThat(results).hasSize(4).allSatisfy(r -> {
            assertThat(r.failedDeliveries()).isZero();
            assertThat(r.latency().count()).isEqualTo(100);
            assertThat(r.latency().minNanos()).isPositive();
            assertThat(r.latency().p50Nanos()).isBetween(r.latency().minNanos(), r.latency().p99Nanos());
            assertThat(r.latency().p999Nanos()).isBetween(r.latency().p99Nanos(), r.latency().maxNanos());
            // 100 messages at 500 msg/s take at least the 198 ms their schedule spans.
            assertThat(r.elapsedNanos()).isGreaterThanOrEqualTo(198_000_000L);
        });
        assertThat(Files.readAllLines(csv)).hasSize(5);
    }

    @Test
    void manyServesEveryProducerOnOnePollerAndMeasuresItsIdleCost() throws Exception {
        String topic = topic();
        Path chart = dir.resolve("many.png");
        List<RoundResult> results = run("--scenario", "many", "--producers", "30", "--messages", "5", "--rounds",
                "1", "--warmup-rounds", "0", "--idle-seconds", "1", "--topic", topic, "--chart", chart.toString());

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.variant()).isEqualTo(Variant.WATERDROP_FD);
            assertThat(r.failedDeliveries()).isZero();
            // One Poller thread serves all 30 (the JVM may start a helper thread of its own meanwhile).
            assertThat(r.threadsAdded()).as("JVM threads added for 30 fd producers").isBetween(1, 2);
            assertThat(r.pollerIterations()).isPositive();
            assertThat(r.idle().nanos()).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(r.idle().cpuNanos()).isPositive();
            assertThat(r.idle().pollingThreadsCpuNanos()).isNotNegative();
        });
        assertThat(endOffset(topic)).isEqualTo(30 * 6);
        assertThat(ImageIO.read(chart.toFile()).getWidth()).isEqualTo(BarChart.WIDTH);
    }

    @Test
    void firstMessageTimesEveryFreshProducer() throws Exception {
        String topic = topic();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<RoundResult> results = run(out, progress, "--scenario", "first-message", "--producers", "2", "--warmup-rounds",
                "0", "--topic", topic, "--modes", "fd");

        assertThat(results).extracting(RoundResult::variant).containsExactly(Variant.WATERDROP_FD,
                Variant.KAFKA_CLIENTS_DEFAULT, Variant.KAFKA_CLIENTS_TUNED);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.latency().count()).isEqualTo(2);
            assertThat(r.latency().minNanos()).isPositive();
        });
        assertThat(endOffset(topic)).isEqualTo(3 * 2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| 2 | waterdrop fd |");
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .containsPattern("waterdrop fd, each fresh producer's connect -> first ack ms: [0-9.]+ [0-9.]+\\n");
    }

    @Test
    void transactionTimesEveryCommitOfOneTransactionalProducer() throws Exception {
        String topic = topic();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<RoundResult> results = run(out, new ByteArrayOutputStream(), "--scenario", "transaction", "--messages",
                "2", "--rounds", "1", "--warmup-rounds", "0", "--topic", topic, "--modes", "fd");

        assertThat(results).extracting(RoundResult::variant).containsExactly(Variant.WATERDROP_FD);
        assertThat(results.get(0).latency().count()).isEqualTo(TransactionRunner.TRANSACTIONS);
        // One untimed transaction first, then the timed ones, 2 messages each (plus a commit marker per transaction).
        assertThat(endOffset(topic)).isEqualTo((TransactionRunner.TRANSACTIONS + 1) * 3L);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| Transactions | Client | min ms | median ms | "
                + "p99 ms | max ms | CPU ms per transaction |").contains("| 50 | waterdrop fd |");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "transaction", "--client", "kafka-clients"))
                .isInstanceOf(UsageException.class).hasMessageContaining("WaterDrop only");
    }

    private List<RoundResult> run(String... args) throws Exception {
        return run(new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
    }

    private List<RoundResult> run(ByteArrayOutputStream out, ByteArrayOutputStream progress, String... args)
            throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", broker.bootstrapServers()));
        BenchmarkOptions options = BenchmarkOptions.parse(all.toArray(String[]::new));
        return new BenchmarkMain(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    }

    private static String topic() {
        return "smoke-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long endOffset(String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        }
    }
}
