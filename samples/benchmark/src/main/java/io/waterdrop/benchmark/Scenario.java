package io.waterdrop.benchmark;

import java.util.List;

/**
 * The workloads of issue 9, each with its own defaults (every default can be overridden on the command line).
 *
 * @see BenchmarkOptions#usage()
 */
public enum Scenario {
    /** The seed's table: P producers, one application thread each, 1,000 async messages per producer. */
    SEED("seed", List.of(1, 2, 5, 10, 25, 100), 1_000, 5, 1, 0),
    /** One producer, 1,000,000 async messages: the single-producer ceiling, also run by the C program. */
    BULK("bulk", List.of(1), 1_000_000, 5, 1, 0),
    /** 25 producers at a fixed total rate ({@code --rate}); produce-to-acknowledgement percentiles. */
    LATENCY("latency", List.of(25), 1_000, 5, 1, 0),
    /** 1,000 fd producers on one Poller, 100 messages each from 10 application threads, then idle. */
    MANY("many", List.of(1_000), 100, 3, 1, 5),
    /** P fresh producers in sequence, each timed from connect to its first acknowledged produceSync. */
    FIRST_MESSAGE("first-message", List.of(20), 1, 1, 1, 0),
    /** One transactional producer, 50 transactions of M async messages each, each timed until its commit returned. */
    TRANSACTION("transaction", List.of(1), 10, 3, 1, 0),
    /**
     * P fd producers on one Poller with idle-disconnect-timeout 3 x W: threads, sockets and CPU over W seconds
     * connected and idle, after all disconnected, and after all reconnected ({@link IdleDisconnectRunner}).
     */
    IDLE("idle", List.of(1_000), 1, 1, 0, 5);

    /** Application threads of the many scenario: each drives a hundred producers in turn. */
    static final int MANY_APPLICATION_THREADS = 10;

    private final String label;
    private final List<Integer> producers;
    private final int messages;
    private final int rounds;
    private final int warmupRounds;
    private final int idleSeconds;

    Scenario(String label, List<Integer> producers, int messages, int rounds, int warmupRounds, int idleSeconds) {
        this.label = label;
        this.producers = producers;
        this.messages = messages;
        this.rounds = rounds;
        this.warmupRounds = warmupRounds;
        this.idleSeconds = idleSeconds;
    }

    public String label() {
        return label;
    }

    List<Integer> defaultProducers() {
        return producers;
    }

    int defaultMessages() {
        return messages;
    }

    int defaultRounds() {
        return rounds;
    }

    int defaultWarmupRounds() {
        return warmupRounds;
    }

    int defaultIdleSeconds() {
        return idleSeconds;
    }

    /** The variants run when {@code --client} is not given. */
    List<Variant> defaultVariants() {
        return this == MANY || this == IDLE ? List.of(Variant.WATERDROP_FD)
                : this == TRANSACTION ? List.of(Variant.WATERDROP_THREAD, Variant.WATERDROP_FD)
                : List.of(Variant.WATERDROP_THREAD, Variant.WATERDROP_FD, Variant.KAFKA_CLIENTS_DEFAULT,
                        Variant.KAFKA_CLIENTS_TUNED);
    }

    /** How many application threads drive P producers. */
    int applicationThreads(int producers) {
        return this == MANY ? Math.min(producers, MANY_APPLICATION_THREADS) : producers;
    }

    /** Whether the scenario's result is throughput (else latency). */
    boolean measuresThroughput() {
        return this != LATENCY && this != FIRST_MESSAGE && this != TRANSACTION;
    }

    static Scenario of(String label) {
        for (Scenario s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label;
    }
}
