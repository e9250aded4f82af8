package io.waterdrop.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How PartitionKeys asks for metadata: once per topic and TTL, never on a polling thread, bounded elsewhere. */
class PartitionKeysCacheTest {

    private final PartitionKeys keys = new PartitionKeys("p", Map.of(), Duration.ofSeconds(60));

    /** Answers from a script and records every request. */
    private static final class ScriptedMetadata implements PartitionKeys.Metadata {
        final Deque<PartitionKeys.Lookup> answers = new ConcurrentLinkedDeque<>();
        final List<Integer> timeouts = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        ScriptedMetadata answer(PartitionKeys.Lookup... lookups) {
            answers.addAll(List.of(lookups));
            return this;
        }

        @Override
        public PartitionKeys.Lookup partitionCount(String topic, int timeoutMs) {
            timeouts.add(timeoutMs);
            threads.add(Thread.currentThread().getName());
            return answers.isEmpty() ? PartitionKeys.Lookup.partitions(99) : answers.poll();
        }
    }

    private static Message keyed(String key) {
        return Message.builder("orders").partitionKey(key).payload("x").build();
    }

    @Test
    void aKnownCountIsAskedForOnceAndTheWaitIsBoundedByFiveSeconds() {
        ScriptedMetadata metadata = new ScriptedMetadata().answer(PartitionKeys.Lookup.partitions(4));

        int first = keys.partition(keyed("user-1"), true, metadata);
        int second = keys.partition(keyed("user-1"), true, metadata);
        int onPollingThread = keys.partition(keyed("user-1"), false, metadata);

        assertThat(first).isBetween(0, 3).isEqualTo(second).isEqualTo(onPollingThread);
        assertThat(metadata.timeouts).hasSize(1).allSatisfy(t -> assertThat(t).isBetween(4_900, 5_000));
    }

    @Test
    void maxWaitTimeoutShorterThanFiveSecondsBoundsTheRequest() {
        PartitionKeys shortWait = new PartitionKeys("p", Map.of(), Duration.ofMillis(300));
        ScriptedMetadata metadata = new ScriptedMetadata().answer(PartitionKeys.Lookup.partitions(2));

        shortWait.partition(keyed("a"), true, metadata);

        assertThat(metadata.timeouts).singleElement().satisfies(t -> assertThat(t).isBetween(200, 300));
    }

    @Test
    void anUnknownTopicFailsWithATypedErrorAndTheAnswerIsCached() {
        PartitionKeys keys = new PartitionKeys("p", Map.of("allow.auto.create.topics", "false"),
                Duration.ofSeconds(60));
        ScriptedMetadata metadata = new ScriptedMetadata()
                .answer(PartitionKeys.Lookup.failed(KafkaError.UNKNOWN_TOPIC_OR_PART));

        for (boolean mayWait : new boolean[] {true, true, false}) {
            assertThatThrownBy(() -> keys.partition(keyed("user-1"), mayWait, metadata))
                    .isInstanceOfSatisfying(ProduceException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(KafkaError.UNKNOWN_TOPIC_OR_PART);
                        assertThat(e.getMessage()).contains("a partitionKey needs the partition count of topic "
                                + "'orders'", "UNKNOWN_TOPIC_OR_PART", "create the topic first");
                    });
        }
        assertThat(metadata.timeouts).as("one request; the negative answer is cached").hasSize(1);
    }

    @Test
    void aTopicBeingCreatedIsAskedAgainUntilItHasPartitions() {
        ScriptedMetadata metadata = new ScriptedMetadata().answer(
                PartitionKeys.Lookup.failed(KafkaError.UNKNOWN_TOPIC_OR_PART), PartitionKeys.Lookup.failed(5),
                PartitionKeys.Lookup.partitions(1));

        assertThat(keys.partition(keyed("new"), true, metadata)).isZero();
        assertThat(metadata.timeouts).hasSize(3);
    }

    @Test
    void aPollingThreadNeverAsksItselfAndAnotherThreadFillsTheCache() {
        ScriptedMetadata metadata = new ScriptedMetadata().answer(PartitionKeys.Lookup.partitions(4));

        assertThatThrownBy(() -> keys.partition(keyed("user-1"), false, metadata))
                .isInstanceOfSatisfying(ProduceException.class, e -> {
                    assertThat(e.error().name()).isEqualTo("_WAIT_CACHE");
                    assertThat(e.getMessage()).contains("topic 'orders' is not known yet",
                            "a polling thread never waits for metadata", "thread waterdrop.metadata#p");
                });

        int expected = keys.partition(new byte[] {'x'}, 4);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(keys.partition(Message.builder("orders").partitionKey("x").build(), false, metadata))
                        .isEqualTo(expected));
        assertThat(metadata.threads).containsExactly("waterdrop.metadata#p");
    }

    @Test
    void clearForgetsCachedCounts() {
        ScriptedMetadata metadata = new ScriptedMetadata();
        keys.partition(keyed("a"), true, metadata);

        keys.clear();

        assertThatThrownBy(() -> keys.partition(keyed("a"), false, metadata)).isInstanceOf(ProduceException.class);
    }

    @Test
    void emptyKeyIsRandomUnderConsistentRandomAndHashedUnderTheDeterministicPartitioners() {
        PartitionKeys consistentRandom = new PartitionKeys("p", Map.of("partitioner", "consistent_random"), Duration.ofSeconds(1));
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            drawn.add(consistentRandom.partition(new byte[0], 8));
        }
        // 64 draws over 8 partitions all landing on one: probability 8 / 8^64.
        assertThat(drawn).allSatisfy(p -> assertThat(p).isBetween(0, 7));
        assertThat(drawn.stream().distinct().count()).isGreaterThan(1);

        for (String partitioner : List.of("consistent", "murmur2", "murmur2_random", "fnv1a", "fnv1a_random")) {
            PartitionKeys deterministic = new PartitionKeys("p", Map.of("partitioner", partitioner), Duration.ofSeconds(1));
            int p = deterministic.partition(new byte[0], 8);
            assertThat(deterministic.partition(new byte[0], 8)).as(partitioner).isEqualTo(p).isBetween(0, 7);
        }
    }
}
