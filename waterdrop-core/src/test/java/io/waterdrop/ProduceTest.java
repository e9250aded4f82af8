package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.key;
import static io.waterdrop.CoreFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every produce variant and message feature, checked against what a real consumer reads back. */
class ProduceTest {

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceSyncReturnsTheReportOfTheStoredRecord(PollingMode mode) {
        String topic = KafkaBroker.newTopic("sync");
        long before = System.currentTimeMillis();
        DeliveryReport report;
        try (Producer producer = new Producer(brokerConfig("sync", mode).build())) {
            report = producer.produceSync(Message.builder(topic).key("k1").payload("hello").build());
        }
        long after = System.currentTimeMillis();

        assertThat(report.isDelivered()).isTrue();
        assertThat(report.error()).isNull();
        assertThat(report.topic()).isEqualTo(topic);
        assertThat(report.partition()).isZero();
        assertThat(report.offset()).isZero();
        assertThat(report.timestamp()).isBetween(before, after);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 1);
        assertThat(records).hasSize(1);
        assertThat(key(records.get(0))).isEqualTo("k1");
        assertThat(value(records.get(0))).isEqualTo("hello");
        assertThat(records.get(0).timestamp()).isEqualTo(report.timestamp());
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceAsyncCompletesEveryHandleInOrder(PollingMode mode) {
        String topic = KafkaBroker.newTopic("async");
        List<DeliveryHandle> handles = new ArrayList<>();
        try (Producer producer = new Producer(brokerConfig("async", mode).build())) {
            for (int i = 0; i < 100; i++) {
                handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
            }
            List<Long> offsets = handles.stream().map(h -> h.await().offset()).toList();
            assertThat(offsets).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> (long) i).toList());
        }
        assertThat(handles).allSatisfy(h -> assertThat(h.toCompletableFuture()).isCompleted());
        assertThat(KafkaBroker.read(topic, 100)).extracting(CoreFixtures::value)
                .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceManySyncReturnsOneReportPerMessageInOrder(PollingMode mode) {
        String topic = KafkaBroker.newTopic("many-sync");
        List<Message> batch = IntStream.range(0, 20).mapToObj(i -> Message.of(topic, "b" + i)).toList();
        List<DeliveryReport> reports;
        try (Producer producer = new Producer(brokerConfig("many-sync", mode).build())) {
            reports = producer.produceManySync(batch);
        }
        assertThat(reports).extracting(DeliveryReport::offset)
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> (long) i).toList());
        assertThat(reports).allSatisfy(r -> assertThat(r.topic()).isEqualTo(topic));
        assertThat(KafkaBroker.read(topic, 20)).extracting(CoreFixtures::value)
                .containsExactlyElementsOf(batch.stream().map(m -> CoreFixtures.text(m.payload())).toList());
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void repeatedProduceManySyncCallsEachComplete(PollingMode mode) {
        // WaterDrop issue 853: the second produce_many_sync on a producer hung.
        String topic = KafkaBroker.newTopic("many-repeat");
        try (Producer producer = new Producer(brokerConfig("many-repeat", mode).build())) {
            for (int round = 0; round < 3; round++) {
                int base = round * 5;
                List<Message> batch = IntStream.range(0, 5).mapToObj(i -> Message.of(topic, "r" + (base + i)))
                        .toList();
                assertThat(producer.produceManySync(batch)).extracting(DeliveryReport::offset)
                        .containsExactly((long) base, base + 1L, base + 2L, base + 3L, base + 4L);
            }
        }
        assertThat(KafkaBroker.read(topic, 15)).hasSize(15);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceManyAsyncReturnsOneHandlePerMessage(PollingMode mode) {
        String topic = KafkaBroker.newTopic("many-async");
        List<Message> batch = IntStream.range(0, 20).mapToObj(i -> Message.of(topic, "a" + i)).toList();
        try (Producer producer = new Producer(brokerConfig("many-async", mode).build())) {
            List<DeliveryHandle> handles = producer.produceManyAsync(batch);
            assertThat(handles).hasSize(20);
            for (int i = 0; i < handles.size(); i++) {
                assertThat(handles.get(i).message()).isSameAs(batch.get(i));
                assertThat(handles.get(i).await().offset()).isEqualTo(i);
            }
        }
        assertThat(KafkaBroker.read(topic, 20)).hasSize(20);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void multiValuedHeadersArriveInOrderAsBytesAndStrings(PollingMode mode) {
        String topic = KafkaBroker.newTopic("headers");
        byte[] binary = {0, 1, 2, (byte) 0xff};
        try (Producer producer = new Producer(brokerConfig("headers", mode).build())) {
            producer.produceSync(Message.builder(topic).payload("p")
                    .header("trace", "first")
                    .header("trace", binary)
                    .header("other", "x")
                    .header("trace", "ünïcode")
                    .header("empty", (byte[]) null)
                    .build());
        }
        ConsumerRecord<byte[], byte[]> record = KafkaBroker.read(topic, 1).get(0);
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(headers::add);
        assertThat(headers).extracting(Header::key).containsExactly("trace", "trace", "other", "trace", "empty");
        assertThat(headers.get(0).value()).isEqualTo("first".getBytes(StandardCharsets.UTF_8));
        assertThat(headers.get(1).value()).isEqualTo(binary);
        assertThat(headers.get(2).value()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(headers.get(3).value()).isEqualTo("ünïcode".getBytes(StandardCharsets.UTF_8));
        assertThat(headers.get(4).value()).isNull();
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void explicitPartitionsAreHonoured(PollingMode mode) {
        String topic = KafkaBroker.newTopic("partitions", 3);
        List<DeliveryReport> reports = new ArrayList<>();
        try (Producer producer = new Producer(brokerConfig("partitions", mode).build())) {
            for (int partition : new int[] {2, 0, 1, 2}) {
                reports.add(producer.produceSync(Message.builder(topic).partition(partition)
                        .payload("to-" + partition).build()));
            }
        }
        assertThat(reports).extracting(DeliveryReport::partition, DeliveryReport::offset)
                .containsExactly(tuple(2, 0L), tuple(0, 0L), tuple(1, 0L), tuple(2, 1L));
        assertThat(KafkaBroker.read(topic, 4)).extracting(ConsumerRecord::partition, CoreFixtures::value)
                .containsExactlyInAnyOrder(tuple(2, "to-2"), tuple(0, "to-0"), tuple(1, "to-1"), tuple(2, "to-2"));
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void samePartitionKeyGoesToTheSamePartitionAsThatKeyWould(PollingMode mode) {
        String topic = KafkaBroker.newTopic("partition-key", 4);
        List<Integer> byPartitionKey = new ArrayList<>();
        int byKey;
        try (Producer producer = new Producer(brokerConfig("partition-key", mode).build())) {
            for (int i = 0; i < 5; i++) {
                // The record key differs every time: only the partition key may decide the partition.
                byPartitionKey.add(producer.produceSync(Message.builder(topic).partitionKey("user-42")
                        .key("k" + i).payload("v" + i).build()).partition());
            }
            byKey = producer.produceSync(Message.builder(topic).key("user-42").payload("keyed").build())
                    .partition();
        }
        assertThat(byPartitionKey).containsOnly(byKey);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 6);
        assertThat(records).hasSize(6).extracting(ConsumerRecord::partition).containsOnly(byKey);
        assertThat(records).extracting(CoreFixtures::key).contains("k0", "k4", "user-42");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void tombstoneArrivesWithANullValue(PollingMode mode) {
        String topic = KafkaBroker.newTopic("tombstone");
        try (Producer producer = new Producer(brokerConfig("tombstone", mode).build())) {
            Message tombstone = Message.builder(topic).key("deleted-id").tombstone().build();
            assertThat(tombstone.isTombstone()).isTrue();
            producer.produceSync(tombstone);
            producer.produceSync(Message.builder(topic).key("empty-id").payload(new byte[0]).build());
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 2);
        assertThat(key(records.get(0))).isEqualTo("deleted-id");
        assertThat(records.get(0).value()).isNull();
        // An empty payload is not a tombstone.
        assertThat(key(records.get(1))).isEqualTo("empty-id");
        assertThat(records.get(1).value()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void explicitTimestampIsStoredAsCreateTime(PollingMode mode) {
        String topic = KafkaBroker.newTopic("timestamp");
        long timestamp = Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli();
        DeliveryReport report;
        try (Producer producer = new Producer(brokerConfig("timestamp", mode).build())) {
            report = producer.produceSync(Message.builder(topic).payload("old").timestamp(timestamp).build());
        }
        assertThat(report.timestamp()).isEqualTo(timestamp);
        ConsumerRecord<byte[], byte[]> record = KafkaBroker.read(topic, 1).get(0);
        assertThat(record.timestamp()).isEqualTo(timestamp);
        assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
    }
}
