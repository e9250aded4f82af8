package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** close, closeAsync, forceClose and reopen: idempotent, flushing, bounded, and clear about what was lost. */
class CloseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<DeliveryHandle> produce(Producer producer, String topic, int count) {
        List<DeliveryHandle> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
        }
        return handles;
    }

    private static void assertPurged(List<DeliveryHandle> handles) {
        assertThat(handles).allSatisfy(h -> assertThatThrownBy(() -> h.await(WAIT))
                .isInstanceOfSatisfying(ProduceException.class, e -> {
                    assertThat(e.error().name()).isEqualTo("_PURGE_QUEUE");
                    assertThat(e.error().code()).isEqualTo(KafkaError.PURGE_QUEUE);
                }));
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closeFlushesEveryAcceptedMessage(PollingMode mode) {
        String topic = KafkaBroker.newTopic("close-flush");
        Producer producer = new Producer(brokerConfig("close-flush", mode).build());
        List<DeliveryHandle> handles = produce(producer, topic, 500);

        assertThat(producer.close(WAIT)).isZero();

        assertThat(handles).allSatisfy(h -> assertThat(h.toCompletableFuture()).isCompleted());
        assertThat(KafkaBroker.read(topic, 500)).hasSize(500);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closeIsIdempotent(PollingMode mode) {
        String topic = KafkaBroker.newTopic("close-twice");
        List<Event.ProducerClosed> closedEvents = new CopyOnWriteArrayList<>();
        Producer producer = new Producer(brokerConfig("close-twice", mode).build());
        producer.monitor().subscribe(Event.ProducerClosed.class, closedEvents::add);
        produce(producer, topic, 10);

        assertThat(producer.close(WAIT)).isZero();
        assertThat(producer.close(WAIT)).isZero();
        producer.close();
        assertThat(producer.forceClose()).isZero();
        assertThat(producer.closeAsync()).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(closedEvents).hasSize(1);
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void concurrentClosesAllWaitForTheFirstAndShareItsResult(PollingMode mode) throws Exception {
        String topic = KafkaBroker.newTopic("close-concurrent");
        Producer producer = new Producer(brokerConfig("close-concurrent", mode).build());
        produce(producer, topic, 200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> producer.close(WAIT)));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(KafkaBroker.read(topic, 200)).hasSize(200);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void stateGoesFromInitialToConnectedToClosingToClosed(PollingMode mode) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Producer producer = new Producer(brokerConfig("states", mode).build());
        producer.monitor().subscribe(e -> {
            if (e.type().startsWith("producer.")) {
                seen.add(e.type() + ":" + producer.state());
            }
        });
        assertThat(producer.state()).isEqualTo(ProducerState.INITIAL);
        assertThat(producer.queueLength()).isZero();
        producer.connect();
        assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);
        producer.connect(); // no-op when connected
        producer.close();
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThat(seen).containsExactly("producer.connected:CONNECTED", "producer.closing:CLOSING",
                "producer.closed:CLOSED");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void everyCallAfterCloseFailsWithProducerClosedException(PollingMode mode) {
        String topic = KafkaBroker.newTopic("after-close");
        Producer producer = new Producer(brokerConfig("after-close", mode).build());
        producer.produceSync(Message.of(topic, "before"));
        producer.close();

        Message message = Message.of(topic, "after");
        List<Runnable> calls = List.of(
                () -> producer.produceAsync(message),
                () -> producer.produceSync(message),
                () -> producer.produceManyAsync(List.of(message)),
                () -> producer.produceManySync(List.of(message)),
                () -> producer.flush(Duration.ofSeconds(1)),
                producer::connect);
        assertThat(calls).allSatisfy(call -> assertThatThrownBy(call::run)
                .isInstanceOf(ProducerClosedException.class)
                .hasMessage("Producer '" + producer.name() + "' is closed and takes no more calls; "
                        + "create a new producer"));
        assertThat(producer.pendingDeliveries()).isZero();
        assertThat(producer.queueLength()).isZero();
        assertThat(producer.fatalError()).isNull();
        assertThat(KafkaBroker.read(topic, 1)).extracting(CoreFixtures::value).containsExactly("before");
    }

    @Test
    void closedTransactionalProducerRejectsTransactions() {
        Producer producer = new Producer(brokerConfig("tx-after-close", PollingMode.FD)
                .kafka("transactional.id", "tx-after-close").build());
        assertThat(producer.close(WAIT)).isZero(); // never connected: nothing to flush
        assertThatThrownBy(() -> producer.transaction(() -> "never"))
                .isInstanceOf(ProducerClosedException.class);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closeWithATimeoutReturnsTheUndeliveredCountAndFailsTheirHandles(PollingMode mode) {
        List<Event> events = new CopyOnWriteArrayList<>();
        Producer producer = new Producer(unreachableConfig("close-timeout", mode).build());
        producer.monitor().subscribe(e -> {
            if (e instanceof Event.ProducerClosed || (e instanceof Event.ErrorOccurred error
                    && error.errorType().equals("producer.close"))) {
                events.add(e);
            }
        });
        List<DeliveryHandle> handles = produce(producer, "close-timeout", 5);

        assertThat(producer.close(Duration.ofMillis(200))).isEqualTo(5);

        assertPurged(handles);
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(Event.ErrorOccurred.class, e -> assertThat(e.cause())
                .hasMessage("5 messages were not delivered before close and were purged"));
        assertThat(events.get(1)).isInstanceOfSatisfying(Event.ProducerClosed.class,
                e -> assertThat(e.undelivered()).isEqualTo(5));
        assertThat(producer.close(WAIT)).as("idempotent: same result").isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void forceClosePurgesWithoutFlushing(PollingMode mode) {
        // The default close timeout is 30 s: forceClose must not use any of it.
        Producer producer = new Producer(unreachableConfig("force", mode).closeTimeout(Duration.ofMinutes(5))
                .build());
        List<DeliveryHandle> handles = produce(producer, "force", 3);

        int purged = assertTimeout(WAIT, producer::forceClose);

        assertThat(purged).isEqualTo(3);
        assertPurged(handles);
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closeAsyncFlushesOnAnotherThread(PollingMode mode) {
        String topic = KafkaBroker.newTopic("close-async");
        Producer producer = new Producer(brokerConfig("close-async", mode).build());
        List<DeliveryHandle> handles = produce(producer, topic, 100);

        CompletableFuture<Integer> closed = producer.closeAsync();

        assertThat(closed).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThat(handles).allSatisfy(h -> assertThat(h.toCompletableFuture()).isCompleted());
        assertThat(KafkaBroker.read(topic, 100)).hasSize(100);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closeOnThePollingThreadIsRefusedButCloseAsyncWorks(PollingMode mode) {
        String topic = KafkaBroker.newTopic("close-in-callback");
        Producer producer = new Producer(brokerConfig("close-in-callback", mode).build());
        CompletableFuture<Throwable> closeFailure = new CompletableFuture<>();
        CompletableFuture<Throwable> flushFailure = new CompletableFuture<>();
        CompletableFuture<Throwable> syncFailure = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<Integer>> asyncClose = new CompletableFuture<>();
        producer.monitor().subscribe(Event.MessageAcknowledged.class, once(e -> {
            closeFailure.complete(failureOf(producer::close));
            flushFailure.complete(failureOf(() -> producer.flush(Duration.ofSeconds(1))));
            syncFailure.complete(failureOf(() -> producer.produceSync(Message.of(topic, "never-sent"))));
            asyncClose.complete(producer.closeAsync());
        }));

        producer.produceSync(Message.of(topic, "trigger"));

        assertThat(closeFailure).succeedsWithin(WAIT).isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).contains("cannot be closed on " + producer.pollingInfo().threadName(),
                        "closeAsync()"));
        assertThat(flushFailure).succeedsWithin(WAIT).isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).contains("flush() cannot run on"));
        // Fails at once rather than after max-wait-timeout: this thread would have to deliver its own report.
        assertThat(syncFailure).succeedsWithin(WAIT).isInstanceOfSatisfying(IllegalStateException.class,
                e -> assertThat(e.getMessage()).isEqualTo("produceSync() cannot run on "
                        + producer.pollingInfo().threadName() + ": that thread delivers the reports produceSync() "
                        + "waits for. Use produceAsync() in callbacks, or call it from an application thread"));
        assertThat(asyncClose).succeedsWithin(WAIT)
                .satisfies(future -> assertThat(future).succeedsWithin(WAIT).isEqualTo(0));
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void reopenMakesAClosedProducerUsableAgain(PollingMode mode) {
        String topic = KafkaBroker.newTopic("reopen");
        List<String> lifecycle = new CopyOnWriteArrayList<>();
        Producer producer = new Producer(brokerConfig("reopen", mode).build());
        producer.monitor().subscribe(e -> {
            if (e.type().startsWith("producer.")) {
                lifecycle.add(e.type());
            }
        });
        assertThatThrownBy(producer::reopen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only a closed producer can be reopened");
        producer.produceSync(Message.of(topic, "first life"));
        producer.close();

        producer.reopen();
        assertThat(producer.state()).isEqualTo(ProducerState.INITIAL);
        assertThat(producer.produceSync(Message.of(topic, "second life")).offset()).isEqualTo(1);
        assertThat(producer.close(WAIT)).isZero();

        assertThat(lifecycle).containsExactly("producer.connected", "producer.closing", "producer.closed",
                "producer.connected", "producer.closing", "producer.closed");
        assertThat(KafkaBroker.read(topic, 2)).extracting(CoreFixtures::value)
                .containsExactly("first life", "second life");
    }

    @Test
    void closeWakesAThreadModePollBlockedInALongTimeout() {
        // With a 60 s poll timeout, a close that merely waited for rd_kafka_poll to return would take a minute.
        Producer producer = new Producer(brokerConfig("long-poll", PollingMode.THREAD)
                .threadPollTimeout(Duration.ofSeconds(60)).build());
        producer.connect();
        assertTimeout(WAIT, () -> assertThat(producer.close(WAIT)).isZero());
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    @Test
    void producerThatNeverConnectedClosesWithoutEvents() {
        List<Event> events = new CopyOnWriteArrayList<>();
        Producer producer = new Producer(brokerConfig("never-connected", PollingMode.FD).build());
        producer.monitor().subscribe(events::add);
        assertThat(producer.close(WAIT)).isZero();
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThatThrownBy(() -> producer.flush(Duration.ZERO)).isInstanceOf(ProducerClosedException.class);
        assertThat(events).isEmpty();
    }

    private static <E> Consumer<E> once(Consumer<E> action) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return e -> {
            if (done.compareAndSet(false, true)) {
                action.accept(e);
            }
        };
    }

    private static Throwable failureOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
