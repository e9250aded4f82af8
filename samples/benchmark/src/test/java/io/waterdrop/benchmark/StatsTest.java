package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void oddCountTakesTheMiddleValue() {
        Stats stats = Stats.of(List.of(30.0, 10.0, 50.0, 20.0, 40.0));

        assertThat(stats).isEqualTo(new Stats(30.0, 10.0, 50.0, 5));
    }

    @Test
    void evenCountAveragesTheTwoMiddleValues() {
        Stats stats = Stats.of(List.of(4.0, 1.0, 3.0, 10.0));

        assertThat(stats).isEqualTo(new Stats(3.5, 1.0, 10.0, 4));
    }

    @Test
    void oneValueIsItsOwnMedianMinAndMax() {
        assertThat(Stats.of(List.of(7.0))).isEqualTo(new Stats(7.0, 7.0, 7.0, 1));
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no values to summarise");
    }

    @Test
    void summariesGroupRoundsByProducersThenModeAndTakeMedians() {
        List<RoundResult> rounds = List.of(
                round(Variant.WATERDROP_THREAD, 2, 1, 100_000_000L, 2, 40),
                round(Variant.WATERDROP_FD, 2, 1, 50_000_000L, 1, 10),
                round(Variant.WATERDROP_THREAD, 1, 1, 10_000_000L, 1, 5),
                round(Variant.WATERDROP_FD, 1, 1, 20_000_000L, 1, 7),
                round(Variant.WATERDROP_THREAD, 2, 2, 200_000_000L, 4, 60),
                round(Variant.WATERDROP_FD, 2, 2, 25_000_000L, 1, 20),
                round(Variant.WATERDROP_THREAD, 2, 3, 100_000_000L, 2, 80),
                round(Variant.WATERDROP_FD, 2, 3, 100_000_000L, 1, 30));

        List<Summary> summaries = Summary.of(rounds);

        assertThat(summaries).extracting(Summary::producers, Summary::variant).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, Variant.WATERDROP_THREAD),
                org.assertj.core.groups.Tuple.tuple(1, Variant.WATERDROP_FD),
                org.assertj.core.groups.Tuple.tuple(2, Variant.WATERDROP_THREAD),
                org.assertj.core.groups.Tuple.tuple(2, Variant.WATERDROP_FD));
        Summary fd2 = summaries.get(3);
        // 2 producers x 1,000 messages in 50 ms, 25 ms and 100 ms.
        assertThat(fd2.msgsPerSec()).isEqualTo(new Stats(40_000, 20_000, 80_000, 3));
        assertThat(fd2.threadsAdded()).isEqualTo(1);
        assertThat(fd2.cpuMillis()).isEqualTo(20);
        Summary thread2 = summaries.get(2);
        assertThat(thread2.msgsPerSec().median()).isEqualTo(20_000);
        assertThat(thread2.threadsAdded()).isEqualTo(2);
        assertThat(thread2.cpuMillis()).isEqualTo(60);
    }

    private static RoundResult round(Variant variant, int producers, int round, long elapsedNanos, int threads,
            long cpuMillis) {
        return new RoundResult(Scenario.SEED, variant, producers, 1_000, 100, round, elapsedNanos, threads,
                threads + 3, cpuMillis * 1_000_000, 1 << 20, -1, 0, 0, 0, 100, Idle.NONE, Latency.NONE);
    }
}
