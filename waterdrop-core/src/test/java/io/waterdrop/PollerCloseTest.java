package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.waterdrop.internal.polling.FdRegistration;
import io.waterdrop.internal.polling.PollerLoop;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Closing fd producers, from application threads and from their own callbacks on the Poller thread (WaterDrop's
 * close scenarios). Each scenario runs under a 10 s guard: a deadlock fails the test instead of hanging the build.
 */
class PollerCloseTest {

    private static final Duration GUARD = Duration.ofSeconds(10);

    @Test
    void closeOnThePollerThreadFailsWithAClearMessage() {
        String topic = KafkaBroker.newTopic("close-in-callback");
        Poller poller = new Poller();
        Producer producer = Producer.create(fdConfig(poller).name("closes-itself").build());
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        AtomicReference<String> callbackThread = new AtomicReference<>();
        producer.monitor().subscribe(Event.MessageAcknowledged.class, event -> {
            callbackThread.set(Thread.currentThread().getName());
            try {
                producer.close();
            } catch (Throwable t) {
                closeFailure.set(t);
            }
        });

        assertTimeoutPreemptively(GUARD, () -> producer.produceSync(Message.of(topic, "one")));

        assertThat(callbackThread.get()).isEqualTo("waterdrop.poller#" + poller.id());
        assertThat(closeFailure.get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Producer 'closes-itself' cannot be closed on waterdrop.poller#" + poller.id()
                        + ": close() waits for that thread to release the producer. Use closeAsync() in callbacks,"
                        + " or close from an application thread");
        assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);
        assertTimeoutPreemptively(GUARD, () -> producer.close());
    }

    @Test
    void closeAsyncInsideAcknowledgedListenerClosesWithoutDeadlock() {
        String topic = KafkaBroker.newTopic("close-async-in-callback");
        Producer producer = Producer.create(fdConfig().name("close-async-inside").build());
        CompletableFuture<CompletableFuture<Integer>> closing = new CompletableFuture<>();
        producer.monitor().subscribe(Event.MessageAcknowledged.class,
                event -> closing.complete(producer.closeAsync()));

        assertTimeoutPreemptively(GUARD, () -> {
            DeliveryReport report = producer.produceSync(Message.of(topic, "bye"));
            assertThat(report.isDelivered()).isTrue();
            assertThat(closing.get().get()).isZero();
        });

        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        assertThat(KafkaBroker.read(topic, 1)).hasSize(1);
    }

    @Test
    void fiveRapidCreateCloseCyclesOnTheGlobalPoller() {
        String topic = KafkaBroker.newTopic("rapid-cycles");
        assertTimeoutPreemptively(GUARD, () -> {
            for (int i = 0; i < 5; i++) {
                try (Producer producer = Producer.create(fdConfig().name("rapid-" + i).build())) {
                    producer.produceSync(Message.of(topic, "cycle-" + i));
                }
            }
        });
        assertThat(KafkaBroker.read(topic, 5)).hasSize(5);
    }

    /**
     * Create and close at once, with nothing produced: the close request can reach the Poller before (or while) it
     * admits the producer. Each iteration gets a fresh Poller thread, so admission and close always race.
     */
    @Test
    void closeRightAfterCreateOnAFreshPollerIsReleasedAtOnce() {
        assertTimeoutPreemptively(GUARD, () -> {
            for (int i = 0; i < 10; i++) {
                Poller poller = new Poller(Duration.ofSeconds(30));
                Producer producer = new Producer(fdConfig(poller).name("instant-" + i).build());
                List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
                producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
                producer.connect();
                assertThat(producer.close(Duration.ofSeconds(5))).isZero();
                assertThat(poller.awaitStopped(Duration.ofSeconds(5))).isTrue();
                assertThat(poller.stats().producers()).isEmpty();
                // A closed pipe left in the poll set fails the loop (POLLNVAL), or worse, watches a reused fd.
                assertThat(errors).extracting(Event.ErrorOccurred::description).isEmpty();
                assertThat(poller.stats().loopErrors()).isZero();
            }
        });
    }

    @Test
    void threeProducersEachCloseFromTheirOwnCallback() {
        String topic = KafkaBroker.newTopic("three-self-closing");
        List<Producer> producers = new ArrayList<>();
        List<CompletableFuture<Integer>> closes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Producer producer = Producer.create(fdConfig().name("self-closing-" + i).build());
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            producer.monitor().subscribe(Event.MessageAcknowledged.class,
                    event -> producer.closeAsync().whenComplete((undelivered, failure) -> {
                        if (failure != null) {
                            closed.completeExceptionally(failure);
                        } else {
                            closed.complete(undelivered);
                        }
                    }));
            producers.add(producer);
            closes.add(closed);
        }

        assertTimeoutPreemptively(GUARD, () -> {
            for (Producer producer : producers) {
                producer.produceAsync(Message.of(topic, producer.name()));
            }
            for (CompletableFuture<Integer> closed : closes) {
                assertThat(closed.get()).isZero();
            }
        });

        assertThat(producers).extracting(Producer::state).containsOnly(ProducerState.CLOSED);
        assertThat(KafkaBroker.read(topic, 3)).extracting(r -> new String(r.value()))
                .containsExactlyInAnyOrder("self-closing-0", "self-closing-1", "self-closing-2");
    }

    @Test
    void closeAfterFiftyOfHundredAsyncMessagesDeliversTheRest() {
        String topic = KafkaBroker.newTopic("close-midway");
        Producer producer = Producer.create(fdConfig().name("close-midway").build());
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<CompletableFuture<Integer>> closing = new CompletableFuture<>();
        producer.monitor().subscribe(Event.MessageAcknowledged.class, event -> {
            if (acknowledged.incrementAndGet() == 50) {
                closing.complete(producer.closeAsync());
            }
        });

        List<DeliveryHandle> handles = new ArrayList<>();
        assertTimeoutPreemptively(GUARD, () -> {
            for (int i = 0; i < 100; i++) {
                handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
            }
            assertThat(closing.get().get()).isZero();
        });

        // close() flushed: every handle completed with a delivery, none failed by the close.
        assertThat(handles).allSatisfy(handle -> assertThat(handle.await(Duration.ZERO).isDelivered()).isTrue());
        assertThat(acknowledged.get()).isEqualTo(100);
        assertThat(KafkaBroker.read(topic, 100)).hasSize(100);
    }

    /** A producer that cannot deliver: close() purges after its timeout and its Poller neighbour carries on. */
    @Test
    void closeOfAProducerThatCannotDeliverIsBoundedAndSparesItsNeighbour() {
        String topic = KafkaBroker.newTopic("close-unreachable");
        Poller poller = new Poller();
        Producer stuck = Producer.create(ProducerConfig.builder().name("unreachable").poller(poller)
                .bootstrapServers("127.0.0.1:1").kafka("message.timeout.ms", "300000").build());
        Producer neighbour = Producer.create(fdConfig(poller).name("unreachable-neighbour").build());
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        stuck.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
        List<DeliveryHandle> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            handles.add(stuck.produceAsync(Message.of(topic, "never-" + i)));
        }

        assertTimeoutPreemptively(GUARD, () -> {
            assertThat(stuck.close(Duration.ofMillis(300))).isEqualTo(10);
            assertThat(neighbour.produceSync(Message.of(topic, "still served")).isDelivered()).isTrue();
        });

        assertThat(handles).allSatisfy(handle -> assertThat(handle.isCompletedExceptionally()).isTrue());
        assertThat(errors).filteredOn(e -> e.errorType().equals("producer.close")).singleElement()
                .satisfies(e -> assertThat(e.cause())
                        .hasMessage("10 messages were not delivered before close and were purged"));
        assertThat(poller.stats().producers()).containsExactly("unreachable-neighbour");
        neighbour.close();
    }

    /**
     * The Poller's final drain of a closing producer is bounded: a queue that never empties (here simulated) is
     * given up after the bound, reported as poller.close_drain, and the closer is released anyway.
     */
    @Test
    void finalDrainThatNeverEmptiesIsBoundedAndReported() throws Exception {
        PollerLoop loop = new PollerLoop(4_000_000, Duration.ofSeconds(30));
        SimulatedClient neverDrains = new SimulatedClient("never-drains");
        neverDrains.inFlight.set(7);
        FdRegistration registration = neverDrains.registration(Duration.ofMillis(100));
        loop.register(registration);

        assertTimeoutPreemptively(GUARD, () -> {
            registration.requestClose();
            registration.unregistered().get();
        });

        assertThat(neverDrains.pollingErrors).containsExactly("poller.close_drain");
        assertThat(neverDrains.pollingFailures.get(0))
                .hasMessage("7 events were still pending when the close drain bound ran out");
        assertThat(neverDrains.ioEventFds).last().isEqualTo(-1);
        assertThat(loop.awaitStopped(PATIENCE)).isTrue();
    }

    /** While one producer's close drain waits (1 s bound here), the Poller keeps serving the others. */
    @Test
    void aProducerStillDrainingOnCloseDoesNotStallItsNeighbours() throws Exception {
        PollerLoop loop = new PollerLoop(4_000_001, Duration.ofSeconds(30));
        SimulatedClient draining = new SimulatedClient("still-draining");
        draining.inFlight.set(3);
        SimulatedClient neighbour = new SimulatedClient("neighbour");
        FdRegistration drainingRegistration = draining.registration(Duration.ofMillis(100));
        FdRegistration neighbourRegistration = neighbour.registration(Duration.ofMillis(100));
        loop.register(drainingRegistration);
        loop.register(neighbourRegistration);
        await().atMost(PATIENCE).until(() -> loop.producers().size() == 2);

        drainingRegistration.requestClose();
        neighbour.enqueue(5);

        await().atMost(PATIENCE).until(() -> neighbour.served.get() == 5);
        assertThat(drainingRegistration.unregistered()).as("still inside its 1 s close drain").isNotDone();
        drainingRegistration.unregistered().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        assertThat(draining.pollingErrors).containsExactly("poller.close_drain");
        neighbourRegistration.requestClose();
        assertThat(loop.awaitStopped(PATIENCE)).isTrue();
    }

    @Test
    void closeAsyncFromTheApplicationThreadReleasesTheDedicatedPoller() throws Exception {
        Poller poller = new Poller();
        Producer producer = Producer.create(fdConfig(poller).name("close-async-app").build());
        await().atMost(PATIENCE).until(poller::isAlive);

        assertThat(producer.closeAsync().get(GUARD.toSeconds(), TimeUnit.SECONDS)).isZero();

        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
        await().atMost(PATIENCE).until(() -> FdTestSupport.threadsNamed(poller.threadName()).isEmpty());
    }
}
