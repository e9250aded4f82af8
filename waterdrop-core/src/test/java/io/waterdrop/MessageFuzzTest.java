package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import static io.waterdrop.test.RandomInputs.weight;

import io.waterdrop.test.RandomInputs;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random combinations of every message part against the real broker (a property-based test: see
 * {@link RandomInputs} for seeds and reruns). Each input must arrive byte-exactly or
 * fail with a typed error naming what was wrong, and the producer must then still deliver a normal message. No input
 * may crash the JVM (this test runs in the suite's JVM: a crash fails the whole run).
 */
class MessageFuzzTest {

    private static final int MAX_PAYLOAD = 200_000;
    private static String onePartition;
    private static String threePartitions;
    private static Producer producer;
    private static RecordReader reader;
    private static final Map<String, Integer> OUTCOMES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        onePartition = KafkaBroker.newTopic("fuzz-one");
        threePartitions = KafkaBroker.newTopic("fuzz-three", 3);
        producer = new Producer(CoreFixtures.brokerConfig("fuzz", PollingMode.FD).maxPayloadSize(MAX_PAYLOAD).build());
        reader = new RecordReader();
    }

    @AfterAll
    static void stop() {
        producer.close();
        reader.close();
        System.out.println("MessageFuzzTest outcomes: " + new TreeMap<>(OUTCOMES));
        // Guards the generator itself: a change that made every input invalid would test nothing.
        assertThat(OUTCOMES).containsKey("delivered");
    }

    record Input(String topic, byte[] key, String partitionKey, int partition, List<HeaderInput> headers,
            Long timestamp, byte[] payload) {
    }

    /** A header's parts, turned into a {@link Header} inside the property (where its validation may throw). */
    record HeaderInput(String name, byte[] value) {
    }

    @TestFactory
    Stream<DynamicTest> everyInputArrivesExactlyOrFailsTyped() {
        return RandomInputs.cases(150, random -> arrivesExactlyOrFailsTyped(input(random)));
    }

    private void arrivesExactlyOrFailsTyped(Input input) {
        Message message;
        try {
            Message.Builder builder = Message.builder(input.topic()).key(input.key()).payload(input.payload())
                    .partition(input.partition());
            input.headers().forEach(h -> builder.header(h.name(), h.value()));
            if (input.partitionKey() != null) {
                builder.partitionKey(input.partitionKey());
            }
            if (input.timestamp() != null) {
                builder.timestamp(input.timestamp());
            }
            message = builder.build();
        } catch (RuntimeException e) {
            ProduceContract.assertTyped(e);
            outcome("rejected by the builder: " + ((InvalidMessageException) e).field());
            return;
        }
        try {
            DeliveryReport report = producer.produceSync(message);
            ProduceContract.assertArrivedExactly(message, report,
                    reader.read(message.topic(), report.partition(), report.offset()));
            outcome("delivered");
        } catch (WaterDropException e) {
            ProduceContract.assertTyped(e);
            outcome("refused: " + (e instanceof ProduceException p ? p.error().name()
                    : ((InvalidMessageException) e).field()));
        }
        assertThat(producer.produceSync(Message.of(onePartition, "still usable")).isDelivered()).isTrue();
    }

    private static void outcome(String outcome) {
        OUTCOMES.merge(outcome, 1, Integer::sum);
    }

    private static Input input(RandomInputs r) {
        String topic = r.oneOf(
                weight(10, () -> r.pick(onePartition, threePartitions)),
                weight(1, () -> "fuzz-new-" + r.alphanumeric(12)),
                weight(2, () -> r.anyString(0, 260)));
        int partition = r.oneOf(
                weight(10, () -> Message.ANY_PARTITION),
                weight(4, () -> r.between(0, 3)),
                weight(1, () -> r.pick(-2, 9999, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        // Mostly valid names, so most messages get through to the broker; now and then any name at all.
        List<HeaderInput> headers = r.oneOf(
                weight(8, () -> r.listOf(0, 6, g -> header(g, validHeaderName(g)))),
                weight(2, () -> r.listOf(1, 3, g -> header(g, headerName(g)))));
        Long timestamp = r.oneOf(
                weight(6, () -> null),
                weight(2, () -> r.pick(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE)),
                weight(2, () -> r.between(1L, System.currentTimeMillis() + 3_600_000L * 24)));
        String partitionKey = r.oneOf(
                weight(6, () -> null),
                weight(1, () -> ""),
                weight(3, () -> r.anyString(0, 50)));
        byte[] key = r.orNull(30, () -> r.bytesUpTo(5_000));
        return new Input(topic, key, partitionKey, partition, headers, timestamp, payload(r));
    }

    private static HeaderInput header(RandomInputs r, String name) {
        return new HeaderInput(name, r.orNull(20, () -> r.bytesUpTo(20_000)));
    }

    private static String validHeaderName(RandomInputs r) {
        return r.oneOf(
                weight(4, () -> r.alpha(1, 10)),
                weight(1, () -> r.string('\u0080', '\uD7FF', 1, 20)));
    }

    /** Names: plain, unicode, empty, with NUL, long, unpaired surrogates, or null. */
    private static String headerName(RandomInputs r) {
        return r.oneOf(
                weight(40, () -> r.alpha(1, 10)),
                weight(6, () -> r.string('\u0080', '\uD7FF', 1, 20)),
                weight(2, () -> r.anyString(1, 20)),
                weight(2, () -> r.pick("", "\0", "a\0b", "x".repeat(2_000), "ключ-🔑", "lone-\uD800", "\uDC00x")),
                weight(1, () -> null));
    }

    /** 0..max bytes, with the edges (0, 1, max, max + 1) weighted in. */
    private static byte[] payload(RandomInputs r) {
        return r.oneOf(
                weight(1, () -> null),
                weight(6, () -> r.bytes(r.between(0, 2_000))),
                weight(2, () -> r.bytes(r.between(0, MAX_PAYLOAD))),
                weight(2, () -> r.bytes(r.pick(0, 1, MAX_PAYLOAD, MAX_PAYLOAD + 1))));
    }
}
