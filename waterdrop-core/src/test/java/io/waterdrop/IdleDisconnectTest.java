package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.threadsNamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Idle disconnect ({@code idle-disconnect-timeout}): an idle producer releases its librdkafka client (its native
 * threads end) and its Poller registration, and the next produce or transaction reconnects; nothing produced around
 * the disconnect is lost or sent twice.
 */
class IdleDisconnectTest {

    private static final Duration TIMEOUT = Duration.ofMillis(ProducerConfig.MIN_IDLE_DISCONNECT_MILLIS);
    /** Long enough that a producer kept busy would have been disconnected several times over. */
    private static final Duration HELD = TIMEOUT.multipliedBy(4);

    @Test
    void anIdleFdProducerReleasesItsClientAndTheNextProduceReconnects() {
        String topic = KafkaBroker.newTopic("idle-fd");
        Poller poller = new Poller();
        List<Event> events = new CopyOnWriteArrayList<>();
        int librdkafkaBefore = librdkafkaThreads().size();
        try (Producer producer = new Producer(brokerConfig("idle-fd", PollingMode.FD).poller(poller).topics(topic)
                .idleDisconnectTimeout(TIMEOUT).build())) {
            producer.monitor().subscribe(Event.class, events::add);
            // Read on the Poller thread while it serves the report: the client cannot be released before that
            // thread lets it go, however long this test thread is descheduled afterwards.
            CompletableFuture<List<String>> whileConnected = new CompletableFuture<>();
            producer.monitor().subscribe(Event.MessageAcknowledged.class,
                    e -> whileConnected.complete(librdkafkaThreads()));
            assertThat(producer.produceSync(Message.of(topic, "before")).offset()).isZero();
            assertThat(whileConnected.join()).as("librdkafka's threads while connected")
                    .hasSizeGreaterThan(librdkafkaBefore).contains("rdk:main");

            await().atMost(PATIENCE).until(() -> producer.state() == ProducerState.DISCONNECTED);
            await("librdkafka's threads and the Poller thread to end").atMost(PATIENCE).untilAsserted(() -> {
                assertThat(librdkafkaThreads()).hasSize(librdkafkaBefore);
                assertThat(poller.isAlive()).isFalse();
                assertThat(threadsNamed("waterdrop.idle_disconnect")).as("no connected producer left to watch")
                        .isEmpty();
            });
            Event.ProducerDisconnected disconnected = only(events, Event.ProducerDisconnected.class);
            assertThat(disconnected.type()).isEqualTo("producer.disconnected");
            assertThat(disconnected.reason()).contains("idle-disconnect-timeout (100 ms)");
            assertThat(disconnected.idleFor()).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(poller.stats().producers()).isEmpty();
            assertThat(producer.pollingInfo().polled()).isTrue();
            assertThat(producer.queueLength()).isZero();
            assertThat(producer.flush(Duration.ofSeconds(1))).as("nothing to flush, no reconnect").isTrue();
            assertThat(producer.state()).isEqualTo(ProducerState.DISCONNECTED);

            assertThat(producer.produceSync(Message.of(topic, "after")).offset()).isEqualTo(1);
            assertThat(only(events, Event.ProducerReconnected.class).reason()).isEqualTo("produce");
        }
        assertThat(KafkaBroker.read(topic, 2)).extracting(CoreFixtures::value).containsExactly("before", "after");
        assertThat(events).extracting(Event::type).containsSubsequence("producer.connected",
                "producer.disconnected", "poller.producer_unregistered", "producer.reconnected",
                "producer.closing", "producer.closed");
    }

    @Test
    void aVariantSendsThroughTheReconnectedClientWithItsOwnSettings() {
        String topic = KafkaBroker.newTopic("idle-variant");
        try (Producer producer = new Producer(brokerConfig("idle-variant", PollingMode.FD)
                .idleDisconnectTimeout(TIMEOUT).build())) {
            ProducerVariant lz4 = producer.variant(Map.of("compression.type", "lz4"));
            lz4.produceSync(Message.of(topic, "first client"));
            await().atMost(PATIENCE).until(() -> producer.state() == ProducerState.DISCONNECTED);

            // The variant's topic handle belonged to the released client; the new client makes its own.
            assertThat(lz4.produceSync(Message.of(topic, "second client")).offset()).isEqualTo(1);
        }
        assertThat(KafkaBroker.read(topic, 2)).extracting(CoreFixtures::value)
                .containsExactly("first client", "second client");
    }

    @Test
    void aThreadModeProducerClosedWhileDisconnectedClosesAtOnce() {
        String topic = KafkaBroker.newTopic("idle-thread");
        Producer producer = new Producer(brokerConfig("idle-thread", PollingMode.THREAD)
                .idleDisconnectTimeout(TIMEOUT).build());
        List<Event> events = new CopyOnWriteArrayList<>();
        producer.monitor().subscribe(Event.class, events::add);
        CompletableFuture<String> reportedOn = new CompletableFuture<>();
        producer.monitor().subscribe(Event.MessageAcknowledged.class,
                e -> reportedOn.complete(Thread.currentThread().getName()));
        producer.produceSync(Message.of(topic, "only"));
        String pollingThread = "waterdrop.native_kafka#" + producer.name();
        assertThat(reportedOn.join()).as("the producer's own polling thread served it").isEqualTo(pollingThread);

        await().atMost(PATIENCE).until(() -> producer.state() == ProducerState.DISCONNECTED);
        await().atMost(PATIENCE).until(() -> threadsNamed(pollingThread).isEmpty());

        assertThat(producer.close(Duration.ofSeconds(5))).isZero();
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThat(events).extracting(Event::type).endsWith("producer.closing", "producer.closed");
        assertThatThrownBy(() -> producer.produceAsync(Message.of(topic, "late")))
                .isInstanceOf(ProducerClosedException.class);
        assertThat(KafkaBroker.read(topic, 1)).extracting(CoreFixtures::value).containsExactly("only");
    }

    @Test
    void aDisconnectListenerCanCloseTheProducer() {
        Producer producer = new Producer(unreachableConfig("idle-listener", PollingMode.FD)
                .idleDisconnectTimeout(TIMEOUT).build());
        CompletableFuture<Integer> closedByListener = new CompletableFuture<>();
        producer.monitor().subscribe(Event.ProducerDisconnected.class,
                e -> closedByListener.complete(producer.close(Duration.ofSeconds(5))));
        producer.connect();

        assertThat(closedByListener).succeedsWithin(PATIENCE).isEqualTo(0);
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThatThrownBy(() -> producer.produceAsync(Message.of("idle-listener", "late")))
                .isInstanceOf(ProducerClosedException.class);
    }

    @Test
    void producersRacingTheDisconnectLoseNothingAndSendNothingTwice() throws Exception {
        String topic = KafkaBroker.newTopic("idle-race");
        int threads = 4;
        int rounds = 5;
        long seed = System.nanoTime();
        List<String> expected = new ArrayList<>();
        AtomicInteger disconnects = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Producer producer = new Producer(brokerConfig("idle-race", PollingMode.FD)
                .kafka("enable.idempotence", "true").idleDisconnectTimeout(TIMEOUT).build())) {
            producer.monitor().subscribe(Event.ProducerDisconnected.class, e -> disconnects.incrementAndGet());
            CyclicBarrier together = new CyclicBarrier(threads);
            List<CompletableFuture<List<DeliveryHandle>>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                SplittableRandom random = new SplittableRandom(seed + t);
                senders.add(CompletableFuture.supplyAsync(() -> {
                    List<DeliveryHandle> handles = new ArrayList<>();
                    try {
                        for (int round = 0; round < rounds; round++) {
                            together.await(); // all send, then all fall silent: the producer turns idle
                            handles.add(producer.produceAsync(Message.of(topic, thread + "-" + round + "-a")));
                            // Each sends again at a random moment around the disconnect (1 to 1.5 timeouts after
                            // the last message): before it, while the client is released, or after.
                            LockSupport.parkNanos(TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(
                                    random.nextLong(0, TIMEOUT.toMillis())));
                            handles.add(producer.produceAsync(Message.of(topic, thread + "-" + round + "-b")));
                        }
                        together.await();
                        // Last: all at once on a disconnected producer, racing each other to reconnect.
                        await().atMost(PATIENCE).until(() -> producer.state() == ProducerState.DISCONNECTED);
                        together.await();
                        handles.add(producer.produceAsync(Message.of(topic, thread + "-last")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return handles;
                }, pool));
                for (int round = 0; round < rounds; round++) {
                    expected.add(thread + "-" + round + "-a");
                    expected.add(thread + "-" + round + "-b");
                }
                expected.add(thread + "-last");
            }
            for (CompletableFuture<List<DeliveryHandle>> sender : senders) {
                for (DeliveryHandle handle : sender.get(60, TimeUnit.SECONDS)) {
                    assertThat(handle.await().isDelivered()).as("seed %d", seed).isTrue();
                }
            }
            assertThat(disconnects.get()).as("disconnects during the race (seed %d)", seed).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(KafkaBroker.read(topic, expected.size())).extracting(CoreFixtures::value)
                .as("seed %d", seed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void noDisconnectWhileATransactionIsOpenAndTheNextTransactionReconnects() {
        String topic = KafkaBroker.newTopic("idle-tx");
        List<Event> events = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("idle-tx", PollingMode.FD)
                .kafka("transactional.id", CoreFixtures.uniqueName("idle-tx")).idleDisconnectTimeout(TIMEOUT)
                .build())) {
            producer.monitor().subscribe(Event.class, events::add);
            producer.transaction(() -> {
                producer.produceSync(Message.of(topic, "in the first transaction"));
                await("an open transaction keeps the client").during(HELD).atMost(HELD.multipliedBy(3))
                        .until(() -> producer.state() == ProducerState.CONNECTED);
                return null;
            });
            await().atMost(PATIENCE).until(() -> producer.state() == ProducerState.DISCONNECTED);

            producer.transaction(() -> producer.produceSync(Message.of(topic, "after the reconnect")));
            assertThat(only(events, Event.ProducerReconnected.class).reason()).isEqualTo("transaction");
        }
        assertThat(KafkaBroker.read(topic, 2)).extracting(CoreFixtures::value)
                .containsExactly("in the first transaction", "after the reconnect");
    }

    @Test
    void noDisconnectWhileADeliveryIsPending() {
        try (Producer producer = new Producer(unreachableConfig("idle-pending", PollingMode.FD)
                .idleDisconnectTimeout(TIMEOUT).build())) {
            DeliveryHandle pending = producer.produceAsync(Message.of("idle-pending", "never acknowledged"));
            await("a pending delivery keeps the client").during(HELD).atMost(HELD.multipliedBy(3))
                    .until(() -> producer.state() == ProducerState.CONNECTED && !pending.isDone());
            assertThat(producer.close(Duration.ZERO)).isEqualTo(1);
            assertThatThrownBy(pending::await).isInstanceOf(ProduceException.class);
        }
    }

    @Test
    void aTimeoutUnderTheMinimumIsRefusedByName() {
        assertThatThrownBy(() -> ProducerConfig.builder().idleDisconnectTimeout(Duration.ofMillis(50)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("idle-disconnect-timeout must be at least 100ms but was 50ms");
        assertThat(ProducerConfig.builder().idleDisconnectTimeout(null).build().idleDisconnectTimeout())
                .as("off").isZero();
    }

    private static <E extends Event> E only(List<Event> events, Class<E> type) {
        List<E> found = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName() + " events").hasSize(1);
        return found.get(0);
    }

    /** Names of this process's OS threads that librdkafka started ({@code rdk:main}, {@code rdk:broker...}). */
    static List<String> librdkafkaThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    return ""; // the thread ended while listing
                }
            }).filter(name -> name.startsWith("rdk:")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
