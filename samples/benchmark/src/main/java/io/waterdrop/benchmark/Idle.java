package io.waterdrop.benchmark;

/**
 * What the connected producers cost while they have nothing to send.
 *
 * @param nanos how long they were left idle (0: not measured)
 * @param cpuNanos process CPU time used meanwhile
 * @param contextSwitches context switches of all threads meanwhile (-1 without /proc)
 * @param pollingThreadsCpuNanos CPU time of the client's polling threads meanwhile (the Poller thread in fd mode,
 *     every {@code waterdrop.native_kafka#} thread in thread mode, kafka-clients' network threads), -1 unknown
 */
public record Idle(long nanos, long cpuNanos, long contextSwitches, long pollingThreadsCpuNanos) {

    public static final Idle NONE = new Idle(0, 0, -1, -1);

    /** CPU milliseconds per second while idle, -1 when not measured. */
    public double cpuMillisPerSecond() {
        return nanos <= 0 ? -1 : (cpuNanos / 1e6) / (nanos / 1e9);
    }

    /** Context switches per second while idle, -1 when not measured. */
    public double contextSwitchesPerSecond() {
        return nanos <= 0 || contextSwitches < 0 ? -1 : contextSwitches / (nanos / 1e9);
    }

    /** CPU milliseconds per second of the polling threads while idle, -1 when not measured. */
    public double pollingThreadsCpuMillisPerSecond() {
        return nanos <= 0 || pollingThreadsCpuNanos < 0 ? -1 : (pollingThreadsCpuNanos / 1e6) / (nanos / 1e9);
    }
}
