package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;
import java.util.Locale;

/**
 * One contender of a round: a client and how it is set up. Every round runs the chosen variants back to back, in
 * this order, so they see the same machine state.
 */
public enum Variant {
    /** WaterDrop, one polling thread per producer ({@code rd_kafka_poll} with a timeout). */
    WATERDROP_THREAD("waterdrop", "thread", "waterdrop.native_kafka#"),
    /** WaterDrop, every producer served by the global Poller through its pipe. */
    WATERDROP_FD("waterdrop", "fd", "waterdrop.poller#"),
    /** Apache Kafka's {@code KafkaProducer} with its own defaults (acks and linger set like librdkafka's). */
    KAFKA_CLIENTS_DEFAULT("kafka-clients", "default", "kafka-producer-network-thread"),
    /** Apache Kafka's {@code KafkaProducer} with batch settings tuned for throughput (see {@link KafkaClientsProducer}). */
    KAFKA_CLIENTS_TUNED("kafka-clients", "tuned", "kafka-producer-network-thread"),
    /** librdkafka driven from C ({@code src/main/c/rdkafka_bulk.c}) in a child process: the native ceiling. */
    C("c", "librdkafka", "");

    private final String client;
    private final String mode;
    private final String pollingThreadPrefix;

    Variant(String client, String mode, String pollingThreadPrefix) {
        this.client = client;
        this.mode = mode;
        this.pollingThreadPrefix = pollingThreadPrefix;
    }

    /** The {@code client} column: waterdrop, kafka-clients or c. */
    public String client() {
        return client;
    }

    /** The {@code mode} column: thread/fd, default/tuned, or librdkafka. */
    public String mode() {
        return mode;
    }

    /** "waterdrop fd", "kafka-clients tuned", "c librdkafka". */
    public String label() {
        return client + " " + mode;
    }

    /** The name prefix of the JVM threads that serve this client's delivery reports (empty for C). */
    String pollingThreadPrefix() {
        return pollingThreadPrefix;
    }

    /** The polling mode of a WaterDrop variant. */
    PollingMode pollingMode() {
        return switch (this) {
            case WATERDROP_THREAD -> PollingMode.THREAD;
            case WATERDROP_FD -> PollingMode.FD;
            default -> throw new IllegalStateException(label() + " is not a WaterDrop variant");
        };
    }

    boolean isWaterDrop() {
        return client.equals("waterdrop");
    }

    /** The variant of a CSV row's client and mode columns. */
    static Variant of(String client, String mode) {
        for (Variant v : values()) {
            if (v.client.equals(client) && v.mode.equals(mode.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("no variant " + client + " " + mode);
    }

    @Override
    public String toString() {
        return label();
    }
}
