package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge values for every part of a message, through the public API to the broker: each either arrives byte-exactly
 * (read back with a real consumer) or fails with a typed error naming the field; either way the same producer then
 * still delivers a normal message.
 */
class MessageEdgeValueTest {

    private static final int MAX_PAYLOAD = 500_000;
    private static String topic;
    private static String threePartitions;
    private static Producer producer;
    private static RecordReader reader;

    @BeforeAll
    static void start() {
        topic = KafkaBroker.newTopic("edge");
        threePartitions = KafkaBroker.newTopic("edge-three", 3);
        producer = new Producer(CoreFixtures.brokerConfig("edge", PollingMode.FD).maxPayloadSize(MAX_PAYLOAD).build());
        reader = new RecordReader();
        producer.produceSync(Message.of(threePartitions, "metadata known")); // partition checks happen at once
    }

    @AfterAll
    static void stop() {
        producer.close();
        reader.close();
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accepted("null key, null payload (tombstone without key)", b -> b),
                accepted("empty key, empty payload", b -> b.key(new byte[0]).payload(new byte[0])),
                accepted("empty key, null payload", b -> b.key(new byte[0])),
                accepted("null key, empty payload", b -> b.payload(new byte[0])),
                accepted("key with NUL bytes", b -> b.key(new byte[] {0, 'a', 0, 0}).payload("v")),
                accepted("payload with NUL bytes", b -> b.payload(new byte[] {0, 0, 'x', 0})),
                accepted("unicode key and payload", b -> b.key("ключ-🔑").payload("значение-💧")),
                accepted("payload of exactly max-payload-size", b -> b.payload(bytes(MAX_PAYLOAD, 1))),
                accepted("100 KB key", b -> b.key(bytes(100_000, 2)).payload("v")),
                accepted("header with a null value", b -> b.header("h", (byte[]) null)),
                accepted("header with an empty value", b -> b.header("h", new byte[0])),
                accepted("null and empty header values side by side",
                        b -> b.header("n", (byte[]) null).header("e", new byte[0]).header("n", (byte[]) null)),
                accepted("unicode header name and value", b -> b.header("ключ-🔑", "значение")),
                accepted("header value with NUL bytes", b -> b.header("bin", new byte[] {0, 1, 0})),
                accepted("repeated header names keep their order",
                        b -> b.header("a", "1").header("b", "2").header("a", "3")),
                accepted("100 headers", b -> b.headers(IntStream.range(0, 100)
                        .mapToObj(i -> Header.of("h" + i, "v" + i)).toList())),
                accepted("100 KB header value", b -> b.header("big", bytes(100_000, 3))),
                accepted("1,000-character header name", b -> b.header("n".repeat(1000), "v")),
                accepted("timestamp 1 ms", b -> b.timestamp(1).payload("old")),
                accepted("timestamp of Instant.EPOCH plus 1 ms", b -> b.timestamp(Instant.ofEpochMilli(1))),
                accepted("explicit partition with headers", b -> b.partition(0).header("h", "v")),
                accepted("partition key with NUL and unicode", b -> b.partitionKey("\0ü\0").payload("v")),
                accepted("10,000-character partition key", b -> b.partitionKey("p".repeat(10_000))),
                accepted("empty partition key with headers", b -> b.partitionKey("").header("h", "v")));
    }

    private static Arguments accepted(String name, Function<Message.Builder, Message.Builder> input) {
        return Arguments.of(name, input);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void arrivesByteExactly(String name, Function<Message.Builder, Message.Builder> input) {
        Message sent = input.apply(Message.builder(topic)).build();

        DeliveryReport report = producer.produceSync(sent);

        ProduceContract.assertArrivedExactly(sent, report, reader.read(topic, report.partition(), report.offset()));
        assertStillDelivers();
    }

    static Stream<Arguments> rejectedByTheBuilder() {
        return Stream.of(
                rejected("topic", "null topic", () -> Message.builder(null).payload("x").build()),
                rejected("topic", "empty topic", () -> Message.builder("").build()),
                rejected("topic", "NUL in the topic", () -> Message.builder("or\0ders").build()),
                rejected("topic", "250-character topic", () -> Message.builder("t".repeat(250)).build()),
                rejected("topic", "unicode topic", () -> Message.builder("tōpic").build()),
                rejected("partition", "partition -2", () -> Message.builder("t").partition(-2).build()),
                rejected("partition", "Integer.MIN_VALUE partition",
                        () -> Message.builder("t").partition(Integer.MIN_VALUE).build()),
                rejected("partitionKey", "partition key and partition",
                        () -> Message.builder("t").partitionKey("").partition(0).build()),
                rejected("headers", "null header name", () -> Message.builder("t").header(null, "v").build()),
                rejected("headers", "null header name (bytes)",
                        () -> Message.builder("t").header(null, new byte[0]).build()),
                rejected("headers", "empty header name", () -> Message.builder("t").header("", "v").build()),
                rejected("headers", "NUL in a header name", () -> Message.builder("t").header("a\0b", "v").build()),
                rejected("headers", "unpaired surrogate in a header name",
                        () -> Message.builder("t").header("a\uD800", "v").build()),
                rejected("headers", "null header in the list",
                        () -> Message.builder("t").headers(Arrays.asList(Header.of("a", "b"), null)).build()),
                rejected("headers", "null header list", () -> Message.builder("t").headers(null).build()),
                rejected("timestamp", "timestamp 0 (librdkafka reads it as now)",
                        () -> Message.builder("t").timestamp(0).build()),
                rejected("timestamp", "timestamp -1", () -> Message.builder("t").timestamp(-1).build()),
                rejected("timestamp", "Long.MIN_VALUE timestamp",
                        () -> Message.builder("t").timestamp(Long.MIN_VALUE).build()),
                rejected("timestamp", "Instant.MAX", () -> Message.builder("t").timestamp(Instant.MAX).build()),
                rejected("timestamp", "null Instant", () -> Message.builder("t").timestamp((Instant) null).build()));
    }

    private static Arguments rejected(String field, String name, Runnable build) {
        return Arguments.of(field, name, build);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("rejectedByTheBuilder")
    void invalidInputNamesTheField(String field, String name, Runnable build) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(InvalidMessageException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith("Invalid message: " + field + " ").doesNotContain("\0");
        });
    }

    @Test
    void payloadOneByteOverMaxPayloadSizeNamesThePayload() {
        Message tooBig = Message.builder(topic).payload(bytes(MAX_PAYLOAD + 1, 4)).build();

        assertThatThrownBy(() -> producer.produceSync(tooBig)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Invalid message: payload is 500001 bytes, over "
                        + "max-payload-size 500000; send smaller messages or raise max-payload-size (and the "
                        + "broker's message.max.bytes)"));
        assertStillDelivers();
    }

    @Test
    void keyPlusPayloadOverMessageMaxBytesIsRefusedByLibrdkafka() {
        // Each part fits max-payload-size; together they pass librdkafka's message.max.bytes (1,000,000).
        Message tooBig = Message.builder(topic).key(bytes(MAX_PAYLOAD, 5)).payload(bytes(MAX_PAYLOAD, 6))
                .header("h", bytes(10_000, 7)).build();

        assertThatThrownBy(() -> producer.produceSync(tooBig)).isInstanceOfSatisfying(ProduceException.class,
                e -> assertThat(e.error().code()).isEqualTo(KafkaError.MSG_SIZE_TOO_LARGE));
        assertThat(producer.pendingDeliveries()).isZero();
        assertStillDelivers();
    }

    @Test
    void aTimestampFarInTheFutureIsRefusedByTheBroker() {
        // Kafka 4's log.message.timestamp.after.max.ms (1 hour by default) refuses it; librdkafka reports it.
        Message future = Message.builder(topic).timestamp(Instant.parse("2200-01-01T00:00:00Z")).payload("x").build();

        assertThatThrownBy(() -> producer.produceSync(future)).isInstanceOfSatisfying(ProduceException.class,
                e -> assertThat(e.error().name()).isEqualTo("INVALID_TIMESTAMP"));
        assertStillDelivers();
    }

    @Test
    void partitionsThatDoNotExistFailWithUnknownPartitionWithOrWithoutHeaders() {
        for (int partition : new int[] {3, 9999, Integer.MAX_VALUE}) {
            for (Message m : List.of(Message.builder(threePartitions).partition(partition).payload("x").build(),
                    Message.builder(threePartitions).partition(partition).header("h", "v").payload("x").build())) {
                assertThatThrownBy(() -> producer.produceSync(m)).isInstanceOfSatisfying(ProduceException.class,
                        e -> assertThat(e.error().code()).isEqualTo(KafkaError.UNKNOWN_PARTITION));
            }
        }
        assertThat(producer.pendingDeliveries()).isZero();
        assertStillDelivers();
    }

    @Test
    void aMissingPartitionBeforeTheTopicsMetadataIsKnownFailsInTheDeliveryReport() {
        String fresh = KafkaBroker.newTopic("edge-fresh", 2);
        try (Producer first = new Producer(CoreFixtures.brokerConfig("edge-fresh", PollingMode.FD).build())) {
            assertThatThrownBy(() -> first.produceSync(Message.builder(fresh).partition(7).header("h", "v")
                    .payload("x").build()))
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> assertThat(e.error().code()).isEqualTo(KafkaError.UNKNOWN_PARTITION));
            assertThat(first.produceSync(Message.builder(fresh).partition(1).payload("ok").build()).offset())
                    .isZero();
        }
    }

    private static void assertStillDelivers() {
        DeliveryReport report = producer.produceSync(Message.builder(topic).key("k").payload("normal").build());
        ProduceContract.assertArrivedExactly(Message.builder(topic).key("k").payload("normal").build(), report,
                reader.read(topic, report.partition(), report.offset()));
    }
}
