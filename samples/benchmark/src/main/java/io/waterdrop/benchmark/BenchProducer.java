package io.waterdrop.benchmark;

import java.time.Duration;
import java.util.Map;

/** One producer of any JVM client, as the rounds drive it. */
interface BenchProducer extends AutoCloseable {

    /** Creates the client's connection (kafka-clients connects lazily on its first send: nothing to do). */
    void connect();

    /** Sends asynchronously; {@code ack} runs on the client's polling thread. */
    void send(String topic, byte[] payload, Acknowledgement ack);

    /** Sends {@code count} copies of one message asynchronously: in one call where the client has one. */
    default void sendMany(String topic, byte[] payload, int count, Acknowledgement ack) {
        for (int i = 0; i < count; i++) {
            send(topic, payload, ack);
        }
    }

    /** Sends and waits for the acknowledgement. */
    void sendSync(String topic, byte[] payload, Duration timeout) throws Exception;

    /** Flushes and closes; not timed. */
    @Override
    void close();

    /** A new, unconnected producer of a JVM variant. */
    static BenchProducer create(Variant variant, String name, String bootstrapServers, Map<String, String> kafka) {
        return switch (variant) {
            case WATERDROP_THREAD, WATERDROP_FD -> new WaterDropProducer(variant.pollingMode(), name,
                    bootstrapServers, kafka);
            case KAFKA_CLIENTS_DEFAULT, KAFKA_CLIENTS_TUNED -> new KafkaClientsProducer(variant, name,
                    bootstrapServers, kafka);
            case C -> throw new IllegalArgumentException("the C client runs in its own process: see CBulkRunner");
        };
    }
}
