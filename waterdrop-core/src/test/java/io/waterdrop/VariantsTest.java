package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** {@code Producer.variant}: other topic settings through the same librdkafka client, checked in Kafka. */
class VariantsTest {

    /**
     * acks=0 shows in the report: the broker answers nothing, so librdkafka reports no offset. Two topics, because
     * librdkafka keeps one configuration per topic in a client (see docs/features.md "Variants").
     */
    @Test
    void oneClientSendsWithAcksZeroAndAcksAllAndBothArriveInKafka() {
        String fireAndForget = KafkaBroker.newTopic("variant-acks0");
        String durable = KafkaBroker.newTopic("variant-acksall");
        int handlesBefore = NativeProducer.openHandles();
        try (Producer producer = Producer.create(brokerConfig("variants", PollingMode.FD).build())) {
            ProducerVariant acksZero = producer.variant(Map.of("acks", "0"));
            ProducerVariant acksAll = producer.variant(Map.of("acks", "all", "compression.type", "lz4"));
            assertThat(NativeProducer.openHandles()).isEqualTo(handlesBefore + 1); // variants open no client

            // A partition key asks for metadata first: through the variant's handle, so acks=0 still applies.
            DeliveryReport zero = acksZero.produceSync(Message.builder(fireAndForget).partitionKey("k")
                    .payload("zero").build());
            DeliveryReport all = acksAll.produceSync(Message.of(durable, "all"));
            List<DeliveryReport> many = acksZero.produceManySync(List.of(Message.of(fireAndForget, "zero-2")));

            assertThat(zero.offset()).isEqualTo(-1);
            assertThat(many).singleElement().satisfies(r -> assertThat(r.offset()).isEqualTo(-1));
            assertThat(all.offset()).isZero();
            assertThat(acksAll.settings()).containsExactly(Map.entry("acks", "all"),
                    Map.entry("compression.type", "lz4"));

            // A new client (reopen) makes its own topic handles with the same settings.
            producer.close();
            assertThatThrownBy(() -> acksZero.produceSync(Message.of(fireAndForget, "closed")))
                    .isInstanceOf(ProducerClosedException.class);
            assertThatThrownBy(() -> producer.variant(Map.of("acks", "1")))
                    .isInstanceOf(ProducerClosedException.class);
            producer.reopen();
            assertThat(acksZero.produceSync(Message.of(fireAndForget, "zero-3")).offset()).isEqualTo(-1);
            assertThat(acksAll.produceAsync(Message.of(durable, "all-2")).await().offset()).isEqualTo(1);
        }
        assertThat(values(fireAndForget, 3)).containsExactly("zero", "zero-2", "zero-3");
        assertThat(values(durable, 2)).containsExactly("all", "all-2");
    }

    @Test
    void aTopicBelongsToOneVariantPerProducer() {
        String topic = KafkaBroker.newTopic("variant-owned");
        String declared = KafkaBroker.newTopic("variant-declared");
        try (Producer producer = Producer.create(brokerConfig("variant-conflict", PollingMode.THREAD)
                .topics(declared).build())) {
            ProducerVariant fast = producer.variant(Map.of("acks", "0"));
            ProducerVariant slow = producer.variant(Map.of("acks", "all"));
            fast.produceSync(Message.of(topic, "first"));

            assertThatThrownBy(() -> slow.produceSync(Message.of(topic, "refused")))
                    .isInstanceOfSatisfying(VariantConflictException.class, e -> {
                        assertThat(e.error().name()).isEqualTo("_CONFLICT");
                        assertThat(e.getMessage()).contains("topic '" + topic + "' is sent with variant {acks=0}, "
                                + "so variant {acks=all} cannot send to it")
                                .contains("a topic belongs to one variant per producer");
                        assertThat(e.ownerSettings()).isEqualTo(Map.of("acks", "0"));
                        assertThat(e.requestedSettings()).isEqualTo(Map.of("acks", "all"));
                    });
            // The producer's own settings count as a variant; produceMany fails only that message.
            List<DeliveryHandle> handles = producer.produceManyAsync(List.of(Message.of(topic, "refused-too")));
            assertThatThrownBy(() -> handles.get(0).await()).isInstanceOfSatisfying(VariantConflictException.class,
                    e -> assertThat(e.getMessage()).contains("so the producer's own settings cannot send to it"));
            // Declared topics belong to the producer's own settings.
            assertThatThrownBy(() -> fast.produceAsync(Message.of(declared, "refused")))
                    .isInstanceOf(VariantConflictException.class);

            // Equal settings are the same owner, and everything accepted before still works.
            producer.variant(Map.of("acks", "0")).produceSync(Message.of(topic, "second"));
            producer.produceSync(Message.of(declared, "own"));
        }
        assertThat(values(topic, 2)).containsExactly("first", "second");
        assertThat(values(declared, 1)).containsExactly("own");
    }

    /** The first {@code count} values of a one-partition topic (offsets 0..count-1; acks=0 reports none). */
    private static List<String> values(String topic, int count) {
        try (RecordReader reader = new RecordReader()) {
            return IntStream.range(0, count).mapToObj(offset -> reader.read(topic, 0, offset))
                    .map(r -> r == null ? null : CoreFixtures.value(r)).toList();
        }
    }

    /** A variant's partitioner routes its keys in librdkafka and its partition keys in WaterDrop alike. */
    @Test
    void aVariantsPartitionerRoutesKeysAndPartitionKeys() {
        String topic = KafkaBroker.newTopic("variant-partitioner", 4);
        // A key that murmur2 (the variant's) and CRC32 (the producer's consistent_random) send to different partitions.
        String key = IntStream.range(0, 100).mapToObj(i -> "user-" + i)
                .filter(k -> murmur2Partition(k, 4) != crc32Partition(k, 4)).findFirst().orElseThrow();
        try (Producer producer = Producer.create(brokerConfig("variant-partitioner", PollingMode.FD).build())) {
            ProducerVariant murmur = producer.variant(Map.of("partitioner", "murmur2"));
            DeliveryReport byKey = murmur.produceSync(Message.builder(topic).key(key).payload("a").build());
            DeliveryReport byPartitionKey = murmur.produceSync(Message.builder(topic).partitionKey(key)
                    .payload("b").build());

            assertThat(byKey.partition()).isEqualTo(murmur2Partition(key, 4));
            assertThat(byPartitionKey.partition()).isEqualTo(byKey.partition());
        }
    }

    private static int murmur2Partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int crc32Partition(String key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    @Test
    void clientLevelUnknownAndConsumerKeysAreRefusedAtCreation() {
        try (Producer producer = new Producer(unreachableConfig("variant-keys", PollingMode.FD).build())) {
            assertThatThrownBy(() -> producer.variant(Map.of("linger.ms", "5")))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.key()).isEqualTo("kafka.linger.ms");
                        assertThat(e.getMessage()).contains("it is a client-level setting")
                                .contains("set it on the producer").contains("acks, compression.codec");
                    });
            assertThatThrownBy(() -> producer.variant(Map.of("akcs", "0")))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.key()).isEqualTo("kafka.akcs");
                        assertThat(e.getMessage()).contains("not a librdkafka setting (a typo?)");
                    });
            assertThatThrownBy(() -> producer.variant(Map.of("auto.offset.reset", "earliest")))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.getMessage()).contains("it is a consumer setting"));
            assertThatThrownBy(() -> producer.variant(null)).isInstanceOf(ConfigurationException.class);
            // Nothing was connected for any of it.
            assertThat(producer.state()).isEqualTo(ProducerState.INITIAL);
        }
    }

    @Test
    void badValuesAreRefusedWithLibrdkafkasReasonAtCreation() {
        try (Producer producer = new Producer(unreachableConfig("variant-values", PollingMode.FD)
                .kafka("linger.ms", "50").build())) {
            assertThatThrownBy(() -> producer.variant(Map.of("acks", "some")))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.key()).isEqualTo("kafka.acks");
                        assertThat(e.getMessage()).startsWith("librdkafka rejected kafka.acks=some of a variant: ");
                    });
            assertThatThrownBy(() -> producer.variant(Map.of("compression.type", "brotli")))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.key()).isEqualTo("kafka.compression.type"));
            // librdkafka's rd_kafka_topic_conf_finalize rule, checked before the first message.
            assertThatThrownBy(() -> producer.variant(Map.of("message.timeout.ms", "20")))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                            .contains("must be greater than its linger.ms (50)"));
        }
        try (Producer idempotent = new Producer(unreachableConfig("variant-idempotent", PollingMode.FD)
                .kafka("enable.idempotence", "true").build())) {
            assertThatThrownBy(() -> idempotent.variant(Map.of("acks", "0")))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                            .contains("the producer is idempotent, and librdkafka then requires acks=all"));
            assertThat(idempotent.variant(Map.of("acks", "-1", "compression.type", "zstd")).settings())
                    .containsEntry("acks", "-1");
        }
    }
}
