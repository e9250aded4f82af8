package io.waterdrop.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The rounds of one (variant, P) reduced to medians (and min/max for throughput and latency).
 *
 * @param variant client and mode
 * @param producers P
 * @param rounds how many rounds
 * @param msgsPerSec throughput over the rounds
 * @param threadsAdded median JVM threads added
 * @param osThreadsAdded median OS threads added
 * @param cpuMillis median process CPU time while producing
 * @param cpuMicrosPerMessage median client CPU per message
 * @param rssMegabytes median RSS growth
 * @param brokerCpuMillis median broker CPU while producing (-1 when unknown)
 * @param pollerIterations median poll(2) returns of the global Poller
 * @param budgetExhaustions median budget exhaustions
 * @param failedDeliveries failed deliveries over all rounds
 * @param contextSwitches median context switches while producing (-1 without /proc)
 * @param idleCpuMillisPerSecond median CPU ms per second while idle (-1 when not measured)
 * @param idleContextSwitchesPerSecond median context switches per second while idle (-1 when not measured)
 * @param idlePollingThreadsCpuMillisPerSecond median CPU ms per second of the polling threads while idle (-1 when
 *     not measured)
 * @param latencyMillis latency percentiles in ms over the rounds (min, p50, p99, p99.9, max), empty when not
 *     measured
 * @param msgsPerSecByRound msg/s of each round, by round number (for ratios paired within a round)
 */
public record Summary(Variant variant, int producers, int rounds, Stats msgsPerSec, double threadsAdded,
        double osThreadsAdded, double cpuMillis, double cpuMicrosPerMessage, double rssMegabytes,
        double brokerCpuMillis, double pollerIterations, double budgetExhaustions, long failedDeliveries,
        double contextSwitches, double idleCpuMillisPerSecond, double idleContextSwitchesPerSecond,
        double idlePollingThreadsCpuMillisPerSecond, Map<String, Stats> latencyMillis,
        Map<Integer, Double> msgsPerSecByRound) {

    /** The latency columns, in order. */
    public static final List<String> PERCENTILES = List.of("min", "p50", "p99", "p99.9", "max");

    public Summary {
        latencyMillis = Map.copyOf(latencyMillis);
        msgsPerSecByRound = Map.copyOf(msgsPerSecByRound);
    }

    /** One summary per (variant, P) present in {@code results}, ordered by P, then variant as first seen. */
    public static List<Summary> of(List<RoundResult> results) {
        Map<Integer, Map<Variant, List<RoundResult>>> groups = new LinkedHashMap<>();
        for (RoundResult r : results) {
            groups.computeIfAbsent(r.producers(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(r.variant(), m -> new ArrayList<>()).add(r);
        }
        List<Summary> summaries = new ArrayList<>();
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(byP -> byP.getValue().forEach(
                (variant, rounds) -> summaries.add(new Summary(variant, byP.getKey(), rounds.size(),
                        stats(rounds, RoundResult::msgsPerSec),
                        median(rounds, RoundResult::threadsAdded),
                        median(rounds, RoundResult::osThreadsAdded),
                        median(rounds, RoundResult::cpuMillis),
                        median(rounds, RoundResult::cpuMicrosPerMessage),
                        median(rounds, RoundResult::rssMegabytes),
                        median(rounds, RoundResult::brokerCpuMillis),
                        median(rounds, RoundResult::pollerIterations),
                        median(rounds, RoundResult::pollerBudgetExhaustions),
                        rounds.stream().mapToLong(RoundResult::failedDeliveries).sum(),
                        median(rounds, RoundResult::contextSwitches),
                        median(rounds, r -> r.idle().cpuMillisPerSecond()),
                        median(rounds, r -> r.idle().contextSwitchesPerSecond()),
                        median(rounds, r -> r.idle().pollingThreadsCpuMillisPerSecond()),
                        latency(rounds), byRound(rounds)))));
        return summaries;
    }

    /** Whether the rounds measured latency. */
    public boolean hasLatency() {
        return !latencyMillis.isEmpty();
    }

    /**
     * The median over the rounds both summaries ran of this one's msg/s divided by {@code other}'s: clients of one
     * round run back to back, so each ratio compares neighbours and the machine's drift between rounds cancels out.
     * Empty when they share no round.
     */
    public java.util.OptionalDouble pairedRatio(Summary other) {
        List<Double> ratios = msgsPerSecByRound.entrySet().stream()
                .filter(e -> other.msgsPerSecByRound.containsKey(e.getKey()))
                .map(e -> e.getValue() / other.msgsPerSecByRound.get(e.getKey())).toList();
        return ratios.isEmpty() ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(Stats.of(ratios).median());
    }

    private static Map<Integer, Double> byRound(List<RoundResult> rounds) {
        Map<Integer, Double> byRound = new LinkedHashMap<>();
        rounds.forEach(r -> byRound.put(r.round(), r.msgsPerSec()));
        return byRound;
    }

    private static Map<String, Stats> latency(List<RoundResult> rounds) {
        if (rounds.stream().noneMatch(r -> r.latency().measured())) {
            return Map.of();
        }
        List<RoundResult> measured = rounds.stream().filter(r -> r.latency().measured()).toList();
        Map<String, Stats> percentiles = new LinkedHashMap<>();
        percentiles.put("min", stats(measured, r -> Latency.millis(r.latency().minNanos())));
        percentiles.put("p50", stats(measured, r -> Latency.millis(r.latency().p50Nanos())));
        percentiles.put("p99", stats(measured, r -> Latency.millis(r.latency().p99Nanos())));
        percentiles.put("p99.9", stats(measured, r -> Latency.millis(r.latency().p999Nanos())));
        percentiles.put("max", stats(measured, r -> Latency.millis(r.latency().maxNanos())));
        return percentiles;
    }

    private static Stats stats(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
        return Stats.of(rounds.stream().map(value::applyAsDouble).toList());
    }

    private static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
        return stats(rounds, value).median();
    }
}
