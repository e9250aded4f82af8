package io.waterdrop;

import io.waterdrop.test.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Shared set-up for the core tests: producer configs against the embedded broker or an unreachable one. */
final class CoreFixtures {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private CoreFixtures() {
    }

    /** A unique producer name, so thread names and client ids of different tests never mix. */
    static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** A config for the embedded broker in {@code mode}. */
    static ProducerConfig.Builder brokerConfig(String prefix, PollingMode mode) {
        return ProducerConfig.builder()
                .name(uniqueName(prefix))
                .bootstrapServers(KafkaBroker.bootstrapServers())
                .pollingMode(mode);
    }

    /**
     * A config whose bootstrap server refuses connections: librdkafka keeps every message queued until
     * {@code message.timeout.ms} expires or the producer purges it.
     */
    static ProducerConfig.Builder unreachableConfig(String prefix, PollingMode mode) {
        return ProducerConfig.builder()
                .name(uniqueName(prefix))
                .bootstrapServers("127.0.0.1:" + closedPort())
                .pollingMode(mode)
                // Nothing can be flushed: a plain close() would otherwise wait the default 30 s before purging.
                .closeTimeout(Duration.ofSeconds(1))
                // Keep librdkafka's reconnect noise low while nothing listens.
                .kafka("reconnect.backoff.ms", "500")
                .kafka("log.connection.close", "false");
    }

    /** A local TCP port nobody listens on (taken from the OS, then released). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static String value(ConsumerRecord<byte[], byte[]> record) {
        return text(record.value());
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return text(record.key());
    }

    /** The thread a producer's callbacks must run on, spelled out (not taken from the code under test). */
    static String expectedCallbackThread(Producer producer) {
        return producer.config().pollingMode() == PollingMode.THREAD
                ? "waterdrop.native_kafka#" + producer.name()
                : "waterdrop.poller#0";
    }
}
