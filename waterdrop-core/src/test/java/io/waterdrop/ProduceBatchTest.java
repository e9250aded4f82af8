package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.key;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static io.waterdrop.CoreFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * produceManyAsync hands runs of plain messages (one topic and partition, no headers, timestamp or partition key) to
 * librdkafka in one rd_kafka_produce_batch call, and every other message the single way, in the caller's order.
 * {@link QueueFullTest} covers the queue-full waits, which now start inside a run.
 */
class ProduceBatchTest {

    @Test
    void mixedRunsKeepTheirOrderAndARefusedRunFailsOnlyItsOwnHandles() {
        String topic = KafkaBroker.newTopic("produce-batch", 2);
        try (Producer producer = new Producer(brokerConfig("produce-batch", PollingMode.FD).build())) {
            producer.produceSync(Message.builder(topic).payload("known").partition(0).build()); // metadata known
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(Message.builder(topic).payload("p0-" + i).key("k" + i).partition(0).build());
            }
            batch.add(Message.builder(topic).payload("p0-header").header("h", "v").partition(0).build());
            batch.add(Message.builder(topic).payload("p1-0").partition(1).build());
            batch.add(Message.builder(topic).tombstone().key("gone").partition(1).build());
            batch.add(Message.builder(topic).payload("nowhere-0").partition(7).build());
            batch.add(Message.builder(topic).payload("nowhere-1").partition(7).build());
            batch.add(Message.builder(topic).payload("").partition(0).build());
            batch.add(Message.builder(topic).payload("p0-last").partition(0).build());

            List<DeliveryHandle> handles = producer.produceManyAsync(batch);

            assertThat(handles).extracting(DeliveryHandle::message).containsExactlyElementsOf(batch);
            for (int i : new int[] {7, 8}) {
                assertThatThrownBy(handles.get(i)::await).isInstanceOfSatisfying(ProduceException.class,
                        e -> assertThat(e.error().name()).isEqualTo("_UNKNOWN_PARTITION"));
            }
            handles.remove(8);
            handles.remove(7);
            assertThat(handles).allSatisfy(h -> assertThat(h.await().isDelivered()).isTrue());
            assertThat(producer.pendingDeliveries()).isZero();
            // Still usable after the refusal.
            assertThat(producer.produceManySync(List.of(Message.of(topic, "after-1"), Message.of(topic, "after-2"))))
                    .hasSize(2);
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 12);
        assertThat(records.stream().filter(r -> r.partition() == 0).map(CoreFixtures::value).toList())
                .containsSubsequence("known", "p0-0", "p0-1", "p0-2", "p0-3", "p0-header", "", "p0-last");
        assertThat(records.stream().filter(r -> r.partition() == 0 && r.key() != null).map(CoreFixtures::key))
                .containsExactly("k0", "k1", "k2", "k3");
        assertThat(records.stream().filter(r -> r.partition() == 1))
                .extracting(r -> key(r) + "=" + value(r))
                .startsWith("null=p1-0", "gone=null");
        assertThat(records).extracting(CoreFixtures::value).doesNotContain("nowhere-0", "nowhere-1");
    }

    @Test
    void aQueueFullMidRunLeavesOnlyTheAcceptedOnesPending() {
        try (Producer producer = new Producer(unreachableConfig("produce-batch-full", PollingMode.FD)
                .kafka("queue.buffering.max.messages", "5").queueFullTimeout(Duration.ofMillis(50)).build())) {
            List<Message> batch = IntStream.range(0, 8).mapToObj(i -> Message.of("batch-full", "m" + i)).toList();

            List<DeliveryHandle> handles = producer.produceManyAsync(batch);

            // The sixth met the full queue inside the call; it and the two after it waited one by one, then failed.
            assertThat(handles.subList(5, 8)).allSatisfy(h -> assertThatThrownBy(h::await)
                    .isInstanceOf(QueueFullException.class));
            assertThat(handles.subList(0, 5)).noneSatisfy(h -> assertThat(h.isDone()).isTrue());
            assertThat(producer.pendingDeliveries()).isEqualTo(5);
        }
    }
}
