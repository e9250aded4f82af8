package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.PollingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

    @Test
    void noArgumentsGiveTheSeedTableDefaults() {
        BenchmarkOptions options = BenchmarkOptions.parse();

        assertThat(options.producers()).containsExactly(1, 2, 5, 10, 25, 100);
        assertThat(options.messages()).isEqualTo(1_000);
        assertThat(options.payloadBytes()).isEqualTo(100);
        assertThat(options.rounds()).isEqualTo(5);
        assertThat(options.warmupRounds()).isEqualTo(1);
        assertThat(options.idleSeconds()).isZero();
        assertThat(options.modes()).containsExactly(PollingMode.THREAD, PollingMode.FD);
        assertThat(options.startsBroker()).isTrue();
        assertThat(options.csv()).isNull();
        assertThat(options.chart()).isNull();
        assertThat(options.help()).isFalse();
    }

    @Test
    void everyFlagIsParsedInBothSpellings() {
        BenchmarkOptions options = BenchmarkOptions.parse("--bootstrap-servers", "localhost:9092",
                "--producers=1,2,5", "--messages", "1_000_000", "--payload-bytes=512", "--rounds", "3",
                "--warmup-rounds=0", "--idle-seconds", "2", "--modes", "fd,thread", "--topic", "bench",
                "--partitions", "4", "--kafka", "linger.ms=0", "--kafka=acks=1", "--csv", "out/r.csv", "--chart", "out/r.png");

        assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(options.startsBroker()).isFalse();
        assertThat(options.producers()).containsExactly(1, 2, 5);
        assertThat(options.messages()).isEqualTo(1_000_000);
        assertThat(options.payloadBytes()).isEqualTo(512);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.warmupRounds()).isZero();
        assertThat(options.idleSeconds()).isEqualTo(2);
        assertThat(options.modes()).containsExactly(PollingMode.FD, PollingMode.THREAD);
        assertThat(options.topic()).isEqualTo("bench");
        assertThat(options.partitions()).isEqualTo(4);
        assertThat(options.kafka()).isEqualTo(Map.of("linger.ms", "0", "acks", "1"));
        assertThat(options.csv()).isEqualTo(Path.of("out/r.csv"));
        assertThat(options.chart()).isEqualTo(Path.of("out/r.png"));
    }

    @Test
    void helpIsRecognisedAndTheUsageNamesEveryFlag() {
        assertThat(BenchmarkOptions.parse("--help").help()).isTrue();
        assertThat(BenchmarkOptions.parse("-h").help()).isTrue();
        for (String flag : List.of("--bootstrap-servers", "--producers", "--messages", "--payload-bytes",
                "--rounds", "--warmup-rounds", "--idle-seconds", "--modes", "--topic", "--partitions", "--kafka",
                "--csv", "--chart", "--help")) {
            assertThat(BenchmarkOptions.usage()).contains(flag);
        }
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
        assertThatThrownBy(() -> BenchmarkOptions.parse("--modes", "thread,epoll"))
                .hasMessage("--modes accepts thread and fd (comma-separated) but got 'epoll'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--kafka", "linger.ms"))
                .hasMessage("--kafka expects key=value (a librdkafka property) but got 'linger.ms'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--chart", "chart.svg"))
                .hasMessage("--chart writes a PNG; give a file name ending in .png, not 'chart.svg'");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--bootstrap-servers", " "))
                .hasMessage("--bootstrap-servers needs a non-empty value");
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
