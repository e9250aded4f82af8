package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The rounds of one (mode, P) reduced to medians (and min/max for throughput).
 *
 * @param mode polling mode
 * @param producers P
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
 */
public record Summary(PollingMode mode, int producers, Stats msgsPerSec, double threadsAdded, double osThreadsAdded,
        double cpuMillis, double cpuMicrosPerMessage, double rssMegabytes, double brokerCpuMillis,
        double pollerIterations, double budgetExhaustions, long failedDeliveries, double contextSwitches,
        double idleCpuMillisPerSecond,
        double idleContextSwitchesPerSecond) {

    /** One summary per (mode, P) present in {@code results}, ordered by P, then mode, as first seen. */
    public static List<Summary> of(List<RoundResult> results) {
        Map<Integer, Map<PollingMode, List<RoundResult>>> groups = new LinkedHashMap<>();
        for (RoundResult r : results) {
            groups.computeIfAbsent(r.producers(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(r.mode(), m -> new ArrayList<>()).add(r);
        }
        List<Summary> summaries = new ArrayList<>();
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(byP -> byP.getValue().forEach(
                (mode, rounds) -> summaries.add(new Summary(mode, byP.getKey(),
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
                        median(rounds, RoundResult::idleCpuMillisPerSecond),
                        median(rounds, RoundResult::idleContextSwitchesPerSecond)))));
        return summaries;
    }

    private static Stats stats(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
        return Stats.of(rounds.stream().map(value::applyAsDouble).toList());
    }

    private static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
        return stats(rounds, value).median();
    }
}
