package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Partition keys against the broker: same partition as the key, empty keys, unknown and new topics, polling threads. */
class PartitionKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"consistent", "consistent_random", "murmur2", "murmur2_random", "fnv1a", "fnv1a_random"})
    void aPartitionKeyRoutesLikeTheSameMessageKeyUnderEveryPartitioner(String partitioner) {
        String topic = KafkaBroker.newTopic("pk-" + partitioner.replace('_', '-'), 8);
        try (Producer producer = new Producer(brokerConfig("pk", PollingMode.FD)
                .kafka("partitioner", partitioner).build())) {
            for (String key : List.of("user-1", "user-2", "a", "ü-unicode", "x".repeat(1000))) {
                int byKey = producer.produceSync(Message.builder(topic).key(key).payload("k").build()).partition();
                int byPartitionKey = producer.produceSync(Message.builder(topic).partitionKey(key).key("other")
                        .payload("pk").build()).partition();
                assertThat(byPartitionKey).as("%s with key %s", partitioner, key).isEqualTo(byKey);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void anEmptyPartitionKeyUnderTheDefaultPartitionerSpreadsLikeAnEmptyKey(PollingMode mode) {
        String topic = KafkaBroker.newTopic("pk-empty", 4);
        List<Integer> partitions = new ArrayList<>();
        try (Producer producer = new Producer(brokerConfig("pk-empty", mode).build())) {
            for (int i = 0; i < 40; i++) {
                partitions.add(producer.produceSync(Message.builder(topic).partitionKey("").payload("e" + i).build())
                        .partition());
            }
        }
        // consistent_random sends an empty key to a random partition: 40 draws over 4 partitions never all agree
        // (probability 4^-39).
        assertThat(partitions.stream().distinct().count()).isGreaterThan(1);
        assertThat(KafkaBroker.read(topic, 40)).hasSize(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"murmur2_random", "consistent", "fnv1a"})
    void anEmptyPartitionKeyUnderADeterministicPartitionerGoesWhereAnEmptyKeyGoes(String partitioner) {
        String topic = KafkaBroker.newTopic("pk-empty-det", 8);
        try (Producer producer = new Producer(brokerConfig("pk-empty-det", PollingMode.FD)
                .kafka("partitioner", partitioner).build())) {
            int byKey = producer.produceSync(Message.builder(topic).key(new byte[0]).payload("k").build())
                    .partition();
            for (int i = 0; i < 3; i++) {
                assertThat(producer.produceSync(Message.builder(topic).partitionKey("").payload("pk").build())
                        .partition()).isEqualTo(byKey);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void anUnknownTopicFailsWithTheBrokersAnswerAndTheProducerStaysUsable(PollingMode mode) {
        String missing = "pk-missing-" + UUID.randomUUID();
        String topic = KafkaBroker.newTopic("pk-after-missing");
        // The embedded broker auto-creates topics; this producer asks it not to.
        try (Producer producer = new Producer(brokerConfig("pk-missing", mode)
                .kafka("allow.auto.create.topics", "false").build())) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> producer.produceSync(Message.builder(missing).partitionKey("u").payload("x")
                        .build()))
                        .isInstanceOfSatisfying(ProduceException.class, e -> {
                            assertThat(e.error().code()).isEqualTo(KafkaError.UNKNOWN_TOPIC_OR_PART);
                            assertThat(e.getMessage()).contains("topic '" + missing + "'",
                                    "a partitionKey needs the partition count");
                            assertThat(e.failedMessage().topic()).isEqualTo(missing);
                        });
            }
            assertThat(producer.pendingDeliveries()).isZero();
            assertThat(producer.produceSync(Message.builder(topic).partitionKey("u").payload("ok").build()).offset())
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void aBrandNewTopicIsCreatedAndTheMessageDelivered(PollingMode mode) {
        String fresh = "pk-new-" + UUID.randomUUID();
        DeliveryReport report;
        try (Producer producer = new Producer(brokerConfig("pk-new", mode).build())) {
            report = producer.produceSync(Message.builder(fresh).partitionKey("u").payload("first").build());
        }
        assertThat(report.partition()).isZero(); // the broker's num.partitions is 1
        assertThat(KafkaBroker.read(fresh, 1)).extracting(CoreFixtures::value).containsExactly("first");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void onAPollingThreadACachedCountIsUsedAndAMissFailsAtOnce(PollingMode mode) throws Exception {
        String cached = KafkaBroker.newTopic("pk-cb-cached", 4);
        String uncached = KafkaBroker.newTopic("pk-cb-uncached", 4);
        try (Producer producer = new Producer(brokerConfig("pk-cb", mode).build())) {
            int expected = producer.produceSync(Message.builder(cached).partitionKey("u").payload("app").build())
                    .partition();
            CompletableFuture<DeliveryHandle> fromCallbackCached = new CompletableFuture<>();
            CompletableFuture<Throwable> fromCallbackUncached = new CompletableFuture<>();
            CompletableFuture<String> thread = new CompletableFuture<>();
            producer.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                if (!"trigger".equals(CoreFixtures.text(e.message().payload()))) {
                    return;
                }
                thread.complete(Thread.currentThread().getName());
                fromCallbackCached.complete(producer.produceAsync(Message.builder(cached).partitionKey("u")
                        .payload("callback").build()));
                try {
                    producer.produceAsync(Message.builder(uncached).partitionKey("u").payload("never").build());
                    fromCallbackUncached.complete(null);
                } catch (Throwable t) {
                    fromCallbackUncached.complete(t);
                }
            });
            producer.produceSync(Message.of(cached, "trigger"));

            assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo(CoreFixtures.expectedCallbackThread(producer));
            assertThat(fromCallbackCached.get(10, TimeUnit.SECONDS).await().partition()).isEqualTo(expected);
            assertThat(fromCallbackUncached.get(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(ProduceException.class, e -> {
                        assertThat(e.error().name()).isEqualTo("_WAIT_CACHE");
                        assertThat(e.getMessage()).contains("topic '" + uncached + "' is not known yet");
                    });
            // From an application thread the same message goes through.
            producer.produceSync(Message.builder(uncached).partitionKey("u").payload("app").build());
        }
        assertThat(KafkaBroker.read(uncached, 1)).extracting(ConsumerRecord::value)
                .extracting(CoreFixtures::text).containsExactly("app");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void withNoBrokerTheApplicationThreadWaitIsBoundedAndTyped(PollingMode mode) {
        try (Producer producer = new Producer(unreachableConfig("pk-unreachable", mode).build())) {
            assertThatThrownBy(() -> producer.produceAsync(Message.builder("t").partitionKey("u").payload("x")
                    .build()))
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> {
                                // rd_kafka_metadata waits for a usable broker up to the bound, then gives up.
                                assertThat(e.error().name()).isEqualTo("_TRANSPORT");
                                assertThat(e.getMessage()).contains("topic 't'");
                            });
            assertThat(producer.pendingDeliveries()).isZero();
        }
    }
}
