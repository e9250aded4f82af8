package io.waterdrop;

import static io.waterdrop.test.MockKafkaCluster.ADD_PARTITIONS_TO_TXN;
import static io.waterdrop.test.MockKafkaCluster.COORDINATOR_NOT_AVAILABLE;
import static io.waterdrop.test.MockKafkaCluster.END_TXN;
import static io.waterdrop.test.MockKafkaCluster.INVALID_PRODUCER_EPOCH;
import static io.waterdrop.test.MockKafkaCluster.NOT_COORDINATOR;
import static io.waterdrop.test.MockKafkaCluster.NOT_ENOUGH_REPLICAS;
import static io.waterdrop.test.MockKafkaCluster.PRODUCER_FENCED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.MockKafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * librdkafka's transactional error rules, with errors injected by its mock cluster: retriable errors are retried
 * within max-wait-timeout (librdkafka resumes the call), abortable ones abort the transaction and say so, fatal ones
 * surface as a fatal {@link TransactionException}, and with reload on the producer re-creates its client so the next
 * transaction works.
 */
class TransactionErrorsTest {

    private final MockKafkaCluster cluster = new MockKafkaCluster(3);
    private final List<Producer> producers = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        producers.forEach(Producer::forceClose);
        cluster.close();
    }

    private Producer transactional(String name, PollingMode mode, boolean reload, Duration maxWait) {
        return transactional(name, mode, reload, maxWait, Duration.ofMillis(100));
    }

    private Producer transactional(String name, PollingMode mode, boolean reload, Duration maxWait,
            Duration reloadBackoff) {
        Producer producer = new Producer(ProducerConfig.builder()
                .name(CoreFixtures.uniqueName(name))
                .bootstrapServers(cluster.bootstrapServers())
                .pollingMode(mode)
                .kafka("transactional.id", name + "-" + UUID.randomUUID())
                .kafka("linger.ms", "1")
                .kafka("retry.backoff.ms", "50")
                .transactionAttemptTimeout(Duration.ofMillis(300))
                .maxWaitTimeout(maxWait)
                .reloadOnTransactionFatalError(reload)
                .fatalErrorReloadBackoff(reloadBackoff)
                .build());
        producers.add(producer);
        producer.monitor().subscribe(e -> {
            if (e.type().startsWith("transaction.") || e.type().startsWith("producer.reload")) {
                events.add(e.type());
            } else if (e instanceof Event.ErrorOccurred error) {
                errors.add(error);
            }
        });
        return producer;
    }

    /**
     * A transactional producer that already committed one transaction ("warm-up" to {@code topic}), so the errors a
     * test injects next hit a producer with its id and coordinator known.
     */
    private Producer committedOnce(String name, String topic, PollingMode mode, boolean reload) {
        return committedOnce(name, topic, mode, reload, Duration.ofSeconds(30));
    }

    private Producer committedOnce(String name, String topic, PollingMode mode, boolean reload, Duration maxWait) {
        Producer producer = transactional(name, mode, reload, maxWait);
        assertThat(send(producer, topic, "warm-up")).isEqualTo("warm-up");
        return producer;
    }

    private static int[] repeat(int times, int... errors) {
        int[] all = new int[times * errors.length];
        for (int i = 0; i < times; i++) {
            System.arraycopy(errors, 0, all, i * errors.length, errors.length);
        }
        return all;
    }

    /** One partition, so offsets tell the order (the mock cluster creates topics with several). */
    private static Message onPartitionZero(String topic, String value) {
        return Message.builder(topic).partition(0).payload(value).build();
    }

    private static String send(Producer producer, String topic, String value) {
        return producer.transaction(() -> {
            producer.produceAsync(onPartitionZero(topic, value));
            return value;
        });
    }

    /**
     * EndTxn fails with coordinator errors long enough that each 300 ms commit attempt times out with a retriable
     * {@code _TIMED_OUT}: the producer calls commit again until librdkafka completes it.
     */
    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void retriableCommitErrorsAreRetriedAndTheTransactionCommits(PollingMode mode) {
        Producer producer = committedOnce("tx-retriable", "retriable", mode, false);
        cluster.pushRequestErrors(END_TXN, repeat(3, NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE));

        List<DeliveryHandle> handles = new ArrayList<>();
        String result = producer.transaction(() -> {
            handles.add(producer.produceAsync(onPartitionZero("retriable", "one")));
            handles.add(producer.produceAsync(onPartitionZero("retriable", "two")));
            return "committed";
        });

        assertThat(result).isEqualTo("committed");
        assertThat(errors).filteredOn(e -> e.errorType().equals("transaction.retrying")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.kafkaError().name()).isEqualTo("_TIMED_OUT"));
        // The mock cluster cannot be read back with the Java consumer (it reads nothing from it), so the broker's
        // acknowledgements are the evidence: both messages got offsets after the warm-up's.
        assertThat(handles).extracting(h -> h.await().offset()).containsExactly(1L, 2L);
        assertThat(events).containsExactly("transaction.started", "transaction.committed",
                "transaction.started", "transaction.committed");
        assertThat(send(producer, "retriable", "next")).isEqualTo("next");
        assertThat(producer.fatalError()).isNull();
    }

    /**
     * The same errors outlast max-wait-timeout: the commit throws a retriable error saying its outcome is not known
     * yet, and the next transaction() completes it first instead of failing with {@code _STATE} forever.
     */
    @Test
    void commitOutlastingMaxWaitIsCompletedByTheNextTransaction() {
        Producer producer = committedOnce("tx-stranded", "stranded", PollingMode.FD, false, Duration.ofSeconds(1));
        cluster.pushRequestErrors(END_TXN, repeat(3, NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE));

        assertThatThrownBy(() -> send(producer, "stranded", "slow"))
                .isInstanceOfSatisfying(TransactionException.class, e -> {
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.isFatal()).isFalse();
                    assertThat(e).hasMessageContaining("the next transaction() completes it first");
                });

        await().atMost(Duration.ofSeconds(60)).ignoreException(TransactionException.class)
                .until(() -> send(producer, "stranded", "next").equals("next"));
        assertThat(events).containsSubsequence("transaction.started", "transaction.committed", // warm-up
                "transaction.started", "transaction.committed", // "slow", completed by the next call
                "transaction.started", "transaction.committed");
        assertThat(producer.fatalError()).isNull();
    }

    /** EndTxn fails with an error librdkafka treats as abortable (NOT_ENOUGH_REPLICAS): aborted, and said so. */
    @Test
    void abortableCommitErrorAbortsTheTransactionAndTheNextOneWorks() {
        Producer producer = committedOnce("tx-abortable", "abortable", PollingMode.FD, false);
        cluster.pushRequestErrors(END_TXN, NOT_ENOUGH_REPLICAS);

        assertThatThrownBy(() -> send(producer, "abortable", "lost"))
                .isInstanceOfSatisfying(TransactionException.class, e -> {
                    assertThat(e.isAbortRequired()).isTrue();
                    assertThat(e.isAborted()).isTrue();
                    assertThat(e.isFatal()).isFalse();
                    assertThat(e.error().name()).isEqualTo("NOT_ENOUGH_REPLICAS");
                    assertThat(e).hasMessageContaining("the transaction was aborted");
                });

        assertThat(events).containsExactly("transaction.started", "transaction.committed",
                "transaction.started", "transaction.aborted");
        assertThat(send(producer, "abortable", "next")).isEqualTo("next");
        assertThat(events).endsWith("transaction.started", "transaction.committed");
    }

    /**
     * PRODUCER_FENCED on EndTxn is fatal (librdkafka reports it as {@code _FENCED}): a typed fatal error, now and on
     * every later transaction, and {@link Producer#fatalError()} shows it.
     */
    @Test
    void fatalCommitErrorIsTypedAndStaysWithoutReload() {
        Producer producer = committedOnce("tx-fatal", "fatal", PollingMode.FD, false);
        cluster.pushRequestErrors(END_TXN, PRODUCER_FENCED);

        assertThatThrownBy(() -> send(producer, "fatal", "fenced"))
                .isInstanceOfSatisfying(TransactionException.class, e -> {
                    assertThat(e.isFatal()).isTrue();
                    // librdkafka reports both fencing codes as its own _FENCED (rd_kafka_txn_normalize_err).
                    assertThat(e.error().name()).isEqualTo("_FENCED");
                });
        assertThat(producer.fatalError()).isNotNull()
                .satisfies(error -> assertThat(error.name()).isEqualTo("_FENCED"));
        assertThatThrownBy(() -> send(producer, "fatal", "after"))
                .isInstanceOfSatisfying(TransactionException.class, e -> assertThat(e.isFatal()).isTrue());
        assertThat(events).doesNotContain("producer.reloaded");
    }

    /**
     * INVALID_PRODUCER_EPOCH on AddPartitionsToTxn is fatal; with reload on, the producer re-creates its client:
     * the failed transaction throws, its in-flight handle fails (never hangs), and the next transaction commits.
     */
    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void fatalErrorWithReloadRecreatesTheClientAndTheNextTransactionCommits(PollingMode mode) {
        Producer producer = committedOnce("tx-reload", "reload", mode, true);
        cluster.pushRequestErrors(ADD_PARTITIONS_TO_TXN, INVALID_PRODUCER_EPOCH);
        List<DeliveryHandle> handles = new ArrayList<>();

        assertThatThrownBy(() -> producer.transaction(() -> {
            handles.add(producer.produceAsync(Message.of("reload-other", "fenced")));
            return null;
        })).isInstanceOfSatisfying(TransactionException.class, e -> {
            assertThat(e.isFatal()).isTrue();
            assertThat(e.error().name()).isEqualTo("_FENCED");
            assertThat(e).hasMessageContaining("re-created");
        });

        assertThat(handles).singleElement().satisfies(handle ->
                assertThatThrownBy(() -> handle.await(Duration.ofSeconds(30))).isInstanceOf(WaterDropException.class));
        assertThat(events).contains("producer.reloaded");
        assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);
        assertThat(producer.fatalError()).isNull();
        assertThat(send(producer, "reload", "after reload")).isEqualTo("after reload");
        assertThat(events).endsWith("transaction.started", "transaction.committed");
    }

    /** close() while a reload waits out its back-off: the producer stays closed, no new client is connected. */
    @Test
    void closeDuringAReloadKeepsTheProducerClosed() throws Exception {
        Producer producer = transactional("tx-reload-close", PollingMode.FD, true, Duration.ofSeconds(30),
                Duration.ofSeconds(5));
        assertThat(send(producer, "reload-close", "warm-up")).isEqualTo("warm-up");
        cluster.pushRequestErrors(END_TXN, PRODUCER_FENCED);
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                send(producer, "reload-close", "fenced");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> producer.state() == ProducerState.CLOSED);

        producer.close(); // joins the reload's close, during its 5 s back-off

        assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(TransactionException.class, e -> {
            assertThat(e.isFatal()).isTrue();
            assertThat(e).hasMessageContaining("re-creating the librdkafka client failed");
        });
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThat(events).doesNotContain("producer.reloaded");
    }
}
