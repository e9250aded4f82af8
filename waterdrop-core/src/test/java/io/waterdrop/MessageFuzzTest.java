package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random combinations of every message part against the real broker (jqwik). Each input must arrive byte-exactly or
 * fail with a typed error naming what was wrong, and the producer must then still deliver a normal message. No input
 * may crash the JVM (this test runs in the suite's JVM: a crash fails the whole run).
 */
class MessageFuzzTest {

    private static final int MAX_PAYLOAD = 200_000;
    private static String onePartition;
    private static String threePartitions;
    private static Producer producer;
    private static RecordReader reader;

    @BeforeContainer
    static void start() {
        onePartition = KafkaBroker.newTopic("fuzz-one");
        threePartitions = KafkaBroker.newTopic("fuzz-three", 3);
        producer = new Producer(CoreFixtures.brokerConfig("fuzz", PollingMode.FD).maxPayloadSize(MAX_PAYLOAD).build());
        reader = new RecordReader();
    }

    @AfterContainer
    static void stop() {
        producer.close();
        reader.close();
    }

    record Input(String topic, byte[] key, String partitionKey, int partition, List<HeaderInput> headers,
            Long timestamp, byte[] payload) {
    }

    /** A header's parts, turned into a {@link Header} inside the property (where its validation may throw). */
    record HeaderInput(String name, byte[] value) {
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void everyInputArrivesExactlyOrFailsTyped(@ForAll("inputs") Input input) {
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
            Statistics.label("outcome").collect("rejected by the builder: " + ((InvalidMessageException) e).field());
            Statistics.label("why").collect(e.getMessage().length() > 60 ? e.getMessage().substring(0, 60) : e.getMessage());
            return;
        }
        try {
            DeliveryReport report = producer.produceSync(message);
            ProduceContract.assertArrivedExactly(message, report,
                    reader.read(message.topic(), report.partition(), report.offset()));
            Statistics.label("outcome").collect("delivered");
        } catch (WaterDropException e) {
            ProduceContract.assertTyped(e);
            Statistics.label("outcome").collect("refused: " + (e instanceof ProduceException p ? p.error().name()
                    : ((InvalidMessageException) e).field()));
        }
        assertThat(producer.produceSync(Message.of(onePartition, "still usable")).isDelivered()).isTrue();
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<String> topic = Arbitraries.<String>frequencyOf(
                weight(10, Arbitraries.of(onePartition, threePartitions)),
                weight(1, Arbitraries.strings().alpha().numeric().ofLength(12).map(s -> "fuzz-new-" + s)),
                weight(2, Arbitraries.strings().all().ofMinLength(0).ofMaxLength(260)));
        Arbitrary<Integer> partition = Arbitraries.<Integer>frequencyOf(
                weight(10, Arbitraries.just(Message.ANY_PARTITION)),
                weight(4, Arbitraries.integers().between(0, 3)),
                weight(1, Arbitraries.of(-2, 9999, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        // Mostly valid names, so most messages get through to the broker; now and then any name at all.
        Arbitrary<List<HeaderInput>> headers = Arbitraries.<List<HeaderInput>>frequencyOf(
                weight(8, header(validHeaderName()).list().ofMaxSize(6)),
                weight(2, header(headerName()).list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<Long> timestamp = Arbitraries.<Long>frequencyOf(
                weight(6, Arbitraries.just((Long) null)),
                weight(2, Arbitraries.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE)),
                weight(2, Arbitraries.longs().between(1, System.currentTimeMillis() + 3_600_000L * 24)));
        Arbitrary<String> partitionKey = Arbitraries.<String>frequencyOf(
                weight(6, Arbitraries.just((String) null)),
                weight(1, Arbitraries.just("")),
                weight(3, Arbitraries.strings().all().ofMaxLength(50)));
        return Combinators.combine(topic, bytes(5_000).injectNull(0.3), partitionKey, partition,
                headers, timestamp, payload()).as(Input::new);
    }

    private static Arbitrary<HeaderInput> header(Arbitrary<String> name) {
        return Combinators.combine(name, bytes(20_000).injectNull(0.2)).as(HeaderInput::new);
    }

    private static Arbitrary<String> validHeaderName() {
        return Arbitraries.<String>frequencyOf(
                weight(4, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)),
                weight(1, Arbitraries.strings().withCharRange('\u0080', '\uD7FF').ofMinLength(1).ofMaxLength(20)));
    }

    /** Names: plain, unicode, empty, with NUL, long, unpaired surrogates, or null. */
    private static Arbitrary<String> headerName() {
        return Arbitraries.<String>frequencyOf(
                weight(40, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)),
                weight(6, Arbitraries.strings().withCharRange('\u0080', '\uD7FF').ofMinLength(1).ofMaxLength(20)),
                weight(2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20)),
                weight(2, Arbitraries.of("", "\0", "a\0b", "x".repeat(2_000), "ключ-🔑", "lone-\uD800", "\uDC00x")),
                weight(1, Arbitraries.just((String) null)));
    }

    /** 0..max bytes, with the edges (0, 1, max, max + 1) weighted in. */
    private static Arbitrary<byte[]> payload() {
        Arbitrary<Integer> size = Arbitraries.<Integer>frequencyOf(
                weight(6, Arbitraries.integers().between(0, 2_000)),
                weight(2, Arbitraries.integers().between(0, MAX_PAYLOAD)),
                weight(2, Arbitraries.of(0, 1, MAX_PAYLOAD, MAX_PAYLOAD + 1)));
        return Arbitraries.<byte[]>frequencyOf(
                weight(1, Arbitraries.just((byte[]) null)),
                weight(9, Combinators.combine(size, Arbitraries.integers()).as(MessageFuzzTest::filled)));
    }

    private static Arbitrary<byte[]> bytes(int max) {
        return Combinators.combine(Arbitraries.integers().between(0, max).edgeCases(e -> e.includeOnly(0, 1)),
                Arbitraries.integers()).as(MessageFuzzTest::filled);
    }

    /** Generated by size and seed: jqwik would otherwise draw (and shrink) every byte of a 200 KB array. */
    private static byte[] filled(int size, int seed) {
        byte[] b = new byte[size];
        int x = seed;
        for (int i = 0; i < size; i++) {
            x = x * 1_103_515_245 + 12_345;
            b[i] = (byte) (x >>> 16);
        }
        return b;
    }

    /** One weighted choice for {@link Arbitraries#frequencyOf}. */
    private static <T> Tuple2<Integer, Arbitrary<? extends T>> weight(int weight, Arbitrary<? extends T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
