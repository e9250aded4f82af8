package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;

/**
 * One measured round of one (mode, P).
 *
 * @param mode polling mode
 * @param producers P
 * @param messages M, per producer
 * @param payloadBytes B
 * @param round 1-based round number
 * @param elapsedNanos from the start signal until the last delivery report of the last producer
 * @param threadsAdded JVM live threads added while the producers lived (the application threads excluded)
 * @param osThreadsAdded OS threads added (librdkafka's native threads included), -1 without /proc
 * @param cpuNanos process CPU time used while producing (user + system, every thread)
 * @param rssBytesAdded resident set growth from before the producers were created to the end of producing, -1
 *     without /proc
 * @param brokerCpuNanos CPU time of the child broker while producing, -1 for an external broker
 * @param pollerIterations poll(2) returns of the global Poller while producing (0 in thread mode)
 * @param pollerBudgetExhaustions Poller turns cut short by a producer's max-time while producing
 * @param failedDeliveries delivery reports with an error (a valid run has 0)
 * @param contextSwitches context switches of all threads while producing (-1 without /proc): a thread that
 *     sleeps and is woken again counts one, so this counts wake-ups
 * @param idleNanos how long the producers were left idle after producing (0: not measured)
 * @param idleCpuNanos process CPU time used while idle
 * @param idleContextSwitches context switches of all threads while idle (-1 without /proc)
 */
public record RoundResult(PollingMode mode, int producers, int messages, int payloadBytes, int round,
        long elapsedNanos, int threadsAdded, int osThreadsAdded, long cpuNanos, long rssBytesAdded,
        long brokerCpuNanos, long pollerIterations, long pollerBudgetExhaustions, long failedDeliveries,
        long contextSwitches, long idleNanos, long idleCpuNanos, long idleContextSwitches) {

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

    /** CPU milliseconds per second while idle, -1 when not measured. */
    public double idleCpuMillisPerSecond() {
        return idleNanos <= 0 ? -1 : (idleCpuNanos / 1e6) / (idleNanos / 1e9);
    }

    /** Context switches per second while idle, -1 when not measured. */
    public double idleContextSwitchesPerSecond() {
        return idleNanos <= 0 || idleContextSwitches < 0 ? -1 : idleContextSwitches / (idleNanos / 1e9);
    }

    public double brokerCpuMillis() {
        return brokerCpuNanos < 0 ? -1 : brokerCpuNanos / 1e6;
    }
}
