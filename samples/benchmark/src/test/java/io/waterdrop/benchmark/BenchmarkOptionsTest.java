package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

    private static final List<Variant> JVM_CLIENTS = List.of(Variant.WATERDROP_THREAD, Variant.WATERDROP_FD,
            Variant.KAFKA_CLIENTS_DEFAULT, Variant.KAFKA_CLIENTS_TUNED);

    @Test
    void noArgumentsGiveTheSeedTableWithEveryJvmClient() {
        BenchmarkOptions options = BenchmarkOptions.parse();

        assertThat(options.scenario()).isEqualTo(Scenario.SEED);
        assertThat(options.producers()).containsExactly(1, 2, 5, 10, 25, 100);
        assertThat(options.messages()).isEqualTo(1_000);
        assertThat(options.payloadBytes()).isEqualTo(100);
        assertThat(options.rounds()).isEqualTo(5);
        assertThat(options.warmupRounds()).isEqualTo(1);
        assertThat(options.idleSeconds()).isZero();
        assertThat(options.variants()).containsExactlyElementsOf(JVM_CLIENTS);
        assertThat(options.cBinary()).isNull();
        assertThat(options.startsBroker()).isTrue();
        assertThat(options.csv()).isNull();
        assertThat(options.chart()).isNull();
        assertThat(options.help()).isFalse();
    }

    @Test
    void eachScenarioHasItsOwnDefaults() {
        BenchmarkOptions bulk = BenchmarkOptions.parse("--scenario", "bulk");
        assertThat(bulk.producers()).containsExactly(1);
        assertThat(bulk.messages()).isEqualTo(1_000_000);
        assertThat(bulk.variants()).containsExactlyElementsOf(JVM_CLIENTS);

        BenchmarkOptions latency = BenchmarkOptions.parse("--scenario=latency");
        assertThat(latency.producers()).containsExactly(25);
        assertThat(latency.messages()).isEqualTo(1_000);
        assertThat(latency.rate()).isEqualTo(10_000);

        BenchmarkOptions many = BenchmarkOptions.parse("--scenario", "many");
        assertThat(many.producers()).containsExactly(1_000);
        assertThat(many.messages()).isEqualTo(100);
        assertThat(many.idleSeconds()).isEqualTo(5);
        assertThat(many.variants()).containsExactly(Variant.WATERDROP_FD);
        assertThat(Scenario.MANY.applicationThreads(1_000)).isEqualTo(10);
        assertThat(Scenario.SEED.applicationThreads(100)).isEqualTo(100);

        BenchmarkOptions first = BenchmarkOptions.parse("--scenario", "first-message");
        assertThat(first.producers()).containsExactly(20);
        assertThat(first.messages()).isEqualTo(1);
        assertThat(first.rounds()).isEqualTo(1);
    }

    @Test
    void aCBinaryAddsTheCClientToTheBulkScenario() {
        BenchmarkOptions options = BenchmarkOptions.parse("--scenario", "bulk", "--c-binary", "target/rdkafka_bulk");

        assertThat(options.cBinary()).isEqualTo(Path.of("target/rdkafka_bulk"));
        assertThat(options.variants()).containsExactly(Variant.WATERDROP_THREAD, Variant.WATERDROP_FD,
                Variant.KAFKA_CLIENTS_DEFAULT, Variant.KAFKA_CLIENTS_TUNED, Variant.C);
    }

    @Test
    void clientsModesAndSettingsChooseTheVariantsInTheGivenOrder() {
        assertThat(BenchmarkOptions.parse("--client", "kafka-clients,waterdrop", "--modes", "fd",
                "--kafka-clients-settings", "tuned").variants())
                .containsExactly(Variant.KAFKA_CLIENTS_TUNED, Variant.WATERDROP_FD);
        assertThat(BenchmarkOptions.parse("--scenario", "bulk", "--client", "c,waterdrop", "--c-binary", "x")
                .variants()).containsExactly(Variant.C, Variant.WATERDROP_THREAD, Variant.WATERDROP_FD);
        assertThat(BenchmarkOptions.parse("--scenario", "many", "--modes", "thread,fd").variants())
                .containsExactly(Variant.WATERDROP_THREAD, Variant.WATERDROP_FD);
    }

    @Test
    void everyFlagIsParsedInBothSpellings() {
        BenchmarkOptions options = BenchmarkOptions.parse("--bootstrap-servers", "localhost:9092",
                "--producers=1,2,5", "--messages", "1_000_000", "--payload-bytes=512", "--rounds", "3",
                "--warmup-rounds=0", "--idle-seconds", "2", "--client", "waterdrop", "--modes", "fd,thread",
                "--topic", "bench", "--partitions", "4", "--kafka", "linger.ms=0", "--kafka=acks=1", "--rate=500",
                "--csv", "out/r.csv", "--chart", "out/r.png", "--middleware=2", "--batch", "100");

        assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(options.startsBroker()).isFalse();
        assertThat(options.producers()).containsExactly(1, 2, 5);
        assertThat(options.messages()).isEqualTo(1_000_000);
        assertThat(options.payloadBytes()).isEqualTo(512);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.warmupRounds()).isZero();
        assertThat(options.idleSeconds()).isEqualTo(2);
        assertThat(options.variants()).containsExactly(Variant.WATERDROP_FD, Variant.WATERDROP_THREAD);
        assertThat(options.topic()).isEqualTo("bench");
        assertThat(options.partitions()).isEqualTo(4);
        assertThat(options.kafka()).isEqualTo(Map.of("linger.ms", "0", "acks", "1"));
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.csv()).isEqualTo(Path.of("out/r.csv"));
        assertThat(options.chart()).isEqualTo(Path.of("out/r.png"));
        assertThat(options.middleware()).isEqualTo(2);
        assertThat(BenchmarkOptions.defaults().middleware()).isZero();
        assertThat(options.batch()).isEqualTo(100);
        assertThat(BenchmarkOptions.defaults().batch()).isEqualTo(1);
    }

    @Test
    void helpIsRecognisedAndTheUsageNamesEveryFlagAndScenario() {
        assertThat(BenchmarkOptions.parse("--help").help()).isTrue();
        assertThat(BenchmarkOptions.parse("-h").help()).isTrue();
        for (String flag : List.of("--scenario", "--client", "--modes", "--kafka-clients-settings", "--c-binary",
                "--bootstrap-servers", "--producers", "--messages", "--payload-bytes", "--rate", "--rounds",
                "--warmup-rounds", "--idle-seconds", "--topic", "--partitions", "--kafka", "--csv", "--chart",
                "--middleware", "--batch", "--help", "seed", "bulk", "latency", "many", "first-message", "transaction", CBulkRunner.BUILD_COMMAND.substring(
                        CBulkRunner.BUILD_COMMAND.lastIndexOf(' ') + 1))) {
            assertThat(BenchmarkOptions.usage()).contains(flag);
        }
    }

    @Test
    void kafkaClientsGetTheSameAcksAndLingerAndTunedBatches() {
        assertThat(KafkaClientsProducer.properties(Variant.KAFKA_CLIENTS_DEFAULT, "p", "h:1", Map.of()))
                .containsEntry("acks", "all").containsEntry("linger.ms", "5").doesNotContainKey("batch.size");
        assertThat(KafkaClientsProducer.properties(Variant.KAFKA_CLIENTS_TUNED, "p", "h:1",
                Map.of("acks", "1", "linger.ms", "20", "queue.buffering.max.messages", "5")))
                .containsEntry("acks", "1").containsEntry("linger.ms", "20")
                .containsEntry("batch.size", "1000000").containsEntry("buffer.memory", "268435456")
                .containsEntry("compression.type", "none").containsEntry("enable.idempotence", "false")
                .doesNotContainKey("queue.buffering.max.messages");
    }

    @Test
    void invalidValuesNameTheFlag() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--producers", "1,x"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--producers expects a whole number but got 'x'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--producers", "1,,2"))
                .hasMessage("--producers expects a comma-separated list like 1,2,5 but got '1,,2'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--producers", "2,2"))
                .hasMessage("--producers lists 2 twice");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--messages", "0"))
                .hasMessage("--messages must be at least 1 but was 0");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rounds", "-3"))
                .hasMessage("--rounds must be at least 1 but was -3");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--warmup-rounds", "-1"))
                .hasMessage("--warmup-rounds must be 0 or more but was -1");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--idle-seconds", "-5"))
                .hasMessage("--idle-seconds must be 0 or more but was -5");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--payload-bytes", "ten"))
                .hasMessage("--payload-bytes expects a whole number but got 'ten'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rate", "0"))
                .hasMessage("--rate must be at least 1 but was 0");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--modes", "thread,epoll"))
                .hasMessage("--modes accepts thread, fd (comma-separated) but got 'epoll'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--modes", "fd,fd"))
                .hasMessage("--modes lists fd twice");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--client", "waterdrop,confluent"))
                .hasMessage("--client accepts waterdrop, kafka-clients, c (comma-separated) but got 'confluent'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--kafka-clients-settings", "best"))
                .hasMessage("--kafka-clients-settings accepts default, tuned (comma-separated) but got 'best'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "soak"))
                .hasMessage("--scenario accepts seed, bulk, latency, many, first-message or transaction but got 'soak'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--kafka", "linger.ms"))
                .hasMessage("--kafka expects key=value (a librdkafka property) but got 'linger.ms'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--chart", "chart.svg"))
                .hasMessage("--chart writes a PNG; give a file name ending in .png, not 'chart.svg'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--bootstrap-servers", " "))
                .hasMessage("--bootstrap-servers needs a non-empty value");
    }

    @Test
    void theCClientNeedsItsBinaryTheBulkScenarioAndOneProducer() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "bulk", "--client", "c"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--client c needs --c-binary PATH, the built C program (build it with: "
                        + CBulkRunner.BUILD_COMMAND + ")");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "latency", "--client", "c", "--c-binary", "x"))
                .hasMessage("--client c runs the bulk scenario only, not --scenario latency");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--scenario", "bulk", "--producers", "1,2", "--client",
                "c", "--c-binary", "x"))
                .hasMessage("--client c runs one producer; use --producers 1, not [1, 2]");
    }

    @Test
    void unknownFlagsMissingValuesAndStrayWordsAreRejected() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--producer", "5"))
                .isInstanceOf(UsageException.class)
                .hasMessage("Unknown option --producer; see --help");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--rounds"))
                .hasMessage("--rounds needs a value; see --help");
        assertThatThrownBy(() -> BenchmarkOptions.parse("fd"))
                .hasMessage("Unexpected argument 'fd': every option is a --flag; see --help");
    }
}
