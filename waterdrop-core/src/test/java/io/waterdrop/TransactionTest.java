package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Producer#transaction}: commit on return, abort on exception, as a read_committed consumer sees it. */
class TransactionTest {

    private static Producer transactional(String prefix, PollingMode mode) {
        return new Producer(brokerConfig(prefix, mode)
                .kafka("transactional.id", prefix + "-" + UUID.randomUUID())
                .build());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected) {
        return KafkaBroker.read(topic, expected, Duration.ofSeconds(30), true);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void committedTransactionIsVisibleToReadCommittedConsumers(PollingMode mode) {
        String topic = KafkaBroker.newTopic("tx-commit");
        List<String> events = new CopyOnWriteArrayList<>();
        try (Producer producer = transactional("tx-commit", mode)) {
            producer.monitor().subscribe(e -> {
                if (e.type().startsWith("transaction.")) {
                    events.add(e.type());
                }
            });
            List<DeliveryHandle> asyncHandles = new CopyOnWriteArrayList<>();
            String result = producer.transaction(() -> {
                asyncHandles.add(producer.produceAsync(Message.of(topic, "one")));
                producer.produceSync(Message.of(topic, "two"));
                asyncHandles.add(producer.produceAsync(Message.of(topic, "three")));
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(events).containsExactly("transaction.started", "transaction.committed");
            // The commit's own flush returns only once the polling thread has served every report: nothing to wait
            // for here.
            assertThat(asyncHandles).allSatisfy(handle -> assertThat(handle.isDone()).isTrue());
        }
        assertThat(readCommitted(topic, 3)).extracting(CoreFixtures::value).containsExactly("one", "two", "three");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void exceptionAbortsTheTransactionAndIsRethrown(PollingMode mode) {
        String topic = KafkaBroker.newTopic("tx-abort");
        boolean asyncDelivered;
        List<String> events = new CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("business rule broken");
        try (Producer producer = transactional("tx-abort", mode)) {
            producer.monitor().subscribe(e -> {
                if (e.type().startsWith("transaction.")) {
                    events.add(e.type());
                }
            });
            List<DeliveryHandle> asyncInAbortedTransaction = new CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> producer.transaction(() -> {
                producer.produceSync(Message.of(topic, "aborted-1"));
                producer.produceSync(Message.of(topic, "aborted-2"));
                asyncInAbortedTransaction.add(producer.produceAsync(Message.of(topic, "aborted-async")));
                throw failure;
            })).isSameAs(failure);
            assertThat(events).containsExactly("transaction.started", "transaction.aborted");
            // abort_transaction purges what was not sent yet: the handle still completes, delivered or purged.
            DeliveryHandle async = asyncInAbortedTransaction.get(0);
            await().atMost(Duration.ofSeconds(30)).until(async::isDone);
            asyncDelivered = !async.isCompletedExceptionally();
            if (!asyncDelivered) {
                assertThatThrownBy(async::await).isInstanceOfSatisfying(ProduceException.class,
                        e -> assertThat(e.error().name()).isIn("_PURGE_QUEUE", "_PURGE_INFLIGHT"));
            }

            // The producer stays usable: a later transaction commits. A read_committed consumer that reaches this
            // marker has passed the aborted records, so it proves they were skipped without waiting for absence.
            producer.transaction(() -> producer.produceSync(Message.of(topic, "committed-marker")));
            assertThat(events).containsExactly("transaction.started", "transaction.aborted",
                    "transaction.started", "transaction.committed");
        }
        assertThat(readCommitted(topic, 1)).extracting(CoreFixtures::value).containsExactly("committed-marker");
        // read_uncommitted still sees the aborted records that reached the broker.
        assertThat(KafkaBroker.read(topic, asyncDelivered ? 4 : 3)).extracting(CoreFixtures::value)
                .startsWith("aborted-1", "aborted-2").endsWith("committed-marker");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void checkedExceptionIsWrappedAndAborts(PollingMode mode) {
        String topic = KafkaBroker.newTopic("tx-checked");
        try (Producer producer = transactional("tx-checked", mode)) {
            Exception checked = new Exception("checked failure");
            assertThatThrownBy(() -> producer.transaction(() -> {
                producer.produceSync(Message.of(topic, "aborted"));
                throw checked;
            })).isInstanceOf(WaterDropException.class).hasCause(checked).hasMessageContaining("checked failure");
            producer.transaction(() -> producer.produceSync(Message.of(topic, "marker")));
        }
        assertThat(readCommitted(topic, 1)).extracting(CoreFixtures::value).containsExactly("marker");
    }

    @Test
    void nestedTransactionJoinsTheOuterOne() {
        String topic = KafkaBroker.newTopic("tx-nested");
        List<String> events = new CopyOnWriteArrayList<>();
        try (Producer producer = transactional("tx-nested", PollingMode.FD)) {
            producer.monitor().subscribe(e -> {
                if (e.type().startsWith("transaction.")) {
                    events.add(e.type());
                }
            });
            int inner = producer.transaction(() -> {
                producer.produceSync(Message.of(topic, "outer"));
                return producer.transaction(() -> {
                    producer.produceSync(Message.of(topic, "inner"));
                    return 42;
                });
            });
            assertThat(inner).isEqualTo(42);
            assertThat(events).containsExactly("transaction.started", "transaction.committed");
        }
        assertThat(readCommitted(topic, 2)).extracting(CoreFixtures::value).containsExactly("outer", "inner");
    }

    @Test
    void exceptionInANestedTransactionAbortsTheWholeTransaction() {
        String topic = KafkaBroker.newTopic("tx-nested-abort");
        try (Producer producer = transactional("tx-nested-abort", PollingMode.THREAD)) {
            assertThatThrownBy(() -> producer.transaction(() -> {
                producer.produceSync(Message.of(topic, "outer"));
                return producer.transaction(() -> {
                    producer.produceSync(Message.of(topic, "inner"));
                    throw new IllegalArgumentException("inner failed");
                });
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("inner failed");
            producer.transaction(() -> producer.produceSync(Message.of(topic, "marker")));
        }
        assertThat(readCommitted(topic, 1)).extracting(CoreFixtures::value).containsExactly("marker");
    }

    @Test
    void nonTransactionalProducerRejectsTransactionsNamingTheSetting() {
        try (Producer producer = new Producer(brokerConfig("not-tx", PollingMode.FD).build())) {
            assertThatThrownBy(() -> producer.transaction(() -> "never runs"))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.key()).isEqualTo("kafka.transactional.id");
                        assertThat(e.getMessage()).contains("is not transactional", "transactional.id");
                    });
            // Nothing was connected for it.
            assertThat(producer.state()).isEqualTo(ProducerState.INITIAL);
        }
    }
}
