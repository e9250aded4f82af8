package io.waterdrop.benchmark;

/**
 * One measured round of one (variant, P).
 *
 * @param scenario the workload
 * @param variant client and mode
 * @param producers P
 * @param messages M, per producer
 * @param payloadBytes B
 * @param round 1-based round number
 * @param elapsedNanos from the start signal until the last delivery report of the last producer (first-message:
 *     the sum of every fresh producer's connect-to-acknowledgement time)
 * @param threadsAdded JVM live threads added while the producers lived (the application threads excluded)
 * @param osThreadsAdded OS threads added (librdkafka's native threads included), -1 without /proc
 * @param cpuNanos process CPU time used while producing (user + system, every thread)
 * @param rssBytesAdded resident set growth from before the producers were created to the end of producing, -1
 *     without /proc
 * @param brokerCpuNanos CPU time of the child broker while producing, -1 when unknown
 * @param pollerIterations poll(2) returns of the global Poller while producing (0 except in fd mode)
 * @param pollerBudgetExhaustions Poller turns cut short by a producer's max-time while producing
 * @param failedDeliveries delivery reports with an error (a valid run has 0)
 * @param contextSwitches context switches of all threads while producing (-1 without /proc): a thread that
 *     sleeps and is woken again counts one, so this counts wake-ups
 * @param idle the cost of staying connected with nothing to send ({@link Idle#NONE} when not measured)
 * @param latency produce-to-acknowledgement percentiles (latency), or connect-to-first-acknowledgement per fresh
 *     producer (first-message); {@link Latency#NONE} otherwise
 */
public record RoundResult(Scenario scenario, Variant variant, int producers, int messages, int payloadBytes,
        int round, long elapsedNanos, int threadsAdded, int osThreadsAdded, long cpuNanos, long rssBytesAdded,
        long brokerCpuNanos, long pollerIterations, long pollerBudgetExhaustions, long failedDeliveries,
        long contextSwitches, Idle idle, Latency latency) {

    /** Messages acknowledged per second: P * M / elapsed. */
    public double msgsPerSec() {
        return (double) producers * messages / (elapsedNanos / 1e9);
    }

    public double cpuMillis() {
        return cpuNanos / 1e6;
    }

    /** Client CPU per message, in microseconds. */
    public double cpuMicrosPerMessage() {
        return cpuNanos / 1e3 / ((double) producers * messages);
    }

    public double rssMegabytes() {
        return rssBytesAdded < 0 ? -1 : rssBytesAdded / (1024.0 * 1024.0);
    }

    public double brokerCpuMillis() {
        return brokerCpuNanos < 0 ? -1 : brokerCpuNanos / 1e6;
    }
}
