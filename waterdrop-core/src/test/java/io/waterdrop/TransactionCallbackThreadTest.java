package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.expectedCallbackThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every delivery report of a transactional producer is handled on its polling thread, including the reports that
 * rd_kafka_abort_transaction produces when it purges (issue 7, defect 1). Listeners run right before the handle
 * completes, on the same thread, so the listener's thread is the thread that completes the handle.
 */
class TransactionCallbackThreadTest {

    private static final int MESSAGES = 2_000;

    /** Records the thread of every delivery outcome (acknowledged, or failed with librdkafka's error). */
    private static Consumer<Event> deliveryThreads(Map<String, AtomicInteger> threads) {
        return e -> {
            if (e instanceof Event.MessageAcknowledged
                    || e instanceof Event.ErrorOccurred error && "librdkafka.dispatch_error".equals(error.errorType())) {
                threads.computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger()).incrementAndGet();
            }
        };
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void abortedTransactionDeliversEveryReportOnThePollingThread(PollingMode mode) {
        String topic = KafkaBroker.newTopic("tx-thread");
        Map<String, AtomicInteger> threads = new ConcurrentHashMap<>();
        List<String> transactionEvents = new CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("body failed after 2,000 sends");
        // linger.ms keeps most of the 2,000 messages queued until the abort purges them: their reports come from the
        // abort itself, the path that used to run them on the thread calling transaction().
        try (Producer producer = new Producer(brokerConfig("tx-thread", mode)
                .kafka("transactional.id", "tx-thread-" + UUID.randomUUID())
                .kafka("linger.ms", "2000")
                .build())) {
            producer.monitor().subscribe(deliveryThreads(threads));
            producer.monitor().subscribe(e -> {
                if (e.type().startsWith("transaction.")) {
                    transactionEvents.add(e.type());
                }
            });
            List<DeliveryHandle> handles = new ArrayList<>();
            assertThatThrownBy(() -> producer.transaction(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    handles.add(producer.produceAsync(Message.of(topic, "aborted-" + i)));
                }
                throw failure;
            })).isSameAs(failure);

            // The abort succeeded: no suppressed abort failure, and the event says so.
            assertThat(failure.getSuppressed()).isEmpty();
            assertThat(transactionEvents).containsExactly("transaction.started", "transaction.aborted");
            // Every handle is complete once the abort returned (abort waits for every report), and every report
            // was handled on the polling thread, none on the thread that called transaction().
            assertThat(handles).allMatch(DeliveryHandle::isDone);
            assertThat(threads).containsOnlyKeys(expectedCallbackThread(producer));
            assertThat(threads.get(expectedCallbackThread(producer))).hasValue(MESSAGES);

            // Still usable: the next transaction commits, and read_committed readers see only it.
            producer.transaction(() -> producer.produceSync(Message.of(topic, "committed-marker")));
        }
        assertThat(KafkaBroker.read(topic, 1, Duration.ofSeconds(30), true)).extracting(CoreFixtures::value)
                .containsExactly("committed-marker");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a deadlock fails
    void listenerClosingTheProducerDuringAnAbortDoesNotDeadlock(PollingMode mode) throws Exception {
        String topic = KafkaBroker.newTopic("tx-close");
        AtomicReference<CompletableFuture<Integer>> closing = new AtomicReference<>();
        AtomicReference<String> closedFrom = new AtomicReference<>();
        IllegalStateException failure = new IllegalStateException("body failed");
        // A long linger keeps the 2,000 messages queued, so the abort purges them and their reports carry purge errors.
        Producer producer = new Producer(brokerConfig("tx-close", mode)
                .kafka("transactional.id", "tx-close-" + UUID.randomUUID())
                .kafka("linger.ms", "10000")
                .build());
        try {
            producer.monitor().subscribe(Event.ErrorOccurred.class, e -> {
                // Purge reports only come from the abort: close from the first one, like a listener that gives up.
                if (e.kafkaError() != null && e.kafkaError().name().startsWith("_PURGE")
                        && closing.compareAndSet(null, producer.closeAsync())) {
                    closedFrom.set(Thread.currentThread().getName());
                }
            });
            assertThatThrownBy(() -> producer.transaction(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    producer.produceAsync(Message.of(topic, "aborted-" + i));
                }
                throw failure;
            })).isSameAs(failure);

            assertThat(closing.get()).as("a purge report reached the listener").isNotNull();
            assertThat(closedFrom.get()).isEqualTo(expectedCallbackThread(producer));
            assertThat(closing.get().get(60, TimeUnit.SECONDS)).isNotNegative();
            assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        } finally {
            producer.forceClose();
        }
    }
}
