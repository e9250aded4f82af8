package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The monitor's events: which, in what order, on which thread, and what a throwing listener does. */
class MonitorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void lifecycleAndMessageEventsArriveInOrder(PollingMode mode) {
        String topic = KafkaBroker.newTopic("events");
        List<Event> events = new CopyOnWriteArrayList<>();
        Producer producer = new Producer(brokerConfig("events", mode).build());
        producer.monitor().subscribe(e -> {
            if (!e.type().startsWith("statistics.")) {
                events.add(e);
            }
        });
        DeliveryReport syncReport = producer.produceSync(Message.of(topic, "sync"));
        DeliveryReport asyncReport = producer.produceAsync(Message.of(topic, "async")).await();
        producer.close();

        List<String> expected = mode == PollingMode.FD
                ? List.of("producer.connected", "poller.producer_registered", "message.produced_sync",
                        "message.acknowledged", "message.produced_async", "message.acknowledged",
                        "producer.closing", "poller.producer_unregistered", "producer.closed")
                : List.of("producer.connected", "message.produced_sync", "message.acknowledged",
                        "message.produced_async", "message.acknowledged", "producer.closing", "producer.closed");
        // Registration is announced on the Poller thread, so it may land either side of "producer.connected".
        assertThat(events).extracting(Event::type).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(events).extracting(Event::type)
                .filteredOn(t -> !t.startsWith("poller."))
                .containsExactlyElementsOf(expected.stream().filter(t -> !t.startsWith("poller.")).toList());
        assertThat(events).allSatisfy(e -> assertThat(e.producer()).isEqualTo(producer.name()));
        assertThat(events.get(0)).isInstanceOfSatisfying(Event.ProducerConnected.class,
                e -> assertThat(e.mode()).isEqualTo(mode));
        List<Event.MessageAcknowledged> acks = events.stream()
                .filter(Event.MessageAcknowledged.class::isInstance).map(Event.MessageAcknowledged.class::cast)
                .toList();
        assertThat(acks).extracting(Event.MessageAcknowledged::report).containsExactly(syncReport, asyncReport);
        assertThat(acks).extracting(a -> CoreFixtures.text(a.message().payload())).containsExactly("sync", "async");
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(Event.ProducerClosed.class,
                e -> assertThat(e.undelivered()).isZero());
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void deliveryCallbacksRunOnThePollingThread(PollingMode mode) {
        String topic = KafkaBroker.newTopic("callback-thread");
        List<String> ackThreads = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("callback-thread", mode).build())) {
            producer.monitor().subscribe(Event.MessageAcknowledged.class,
                    e -> ackThreads.add(Thread.currentThread().getName()));
            producer.produceManySync(List.of(Message.of(topic, "1"), Message.of(topic, "2"), Message.of(topic, "3")));

            assertThat(ackThreads).hasSize(3).containsOnly(CoreFixtures.expectedCallbackThread(producer));
            assertThat(producer.pollingInfo().threadName()).isEqualTo(CoreFixtures.expectedCallbackThread(producer));
            assertThat(producer.pollingInfo().mode()).isEqualTo(mode);
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void throwingDeliveryListenerStillLetsTheHandleCompleteAndYieldsAnErrorEvent(PollingMode mode) {
        String topic = KafkaBroker.newTopic("ack-throw");
        RuntimeException boom = new IllegalStateException("acknowledged listener failed");
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        List<Event.MessageAcknowledged> laterListener = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("ack-throw", mode).build())) {
            producer.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                throw boom;
            });
            producer.monitor().subscribe(Event.MessageAcknowledged.class, laterListener::add);
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);

            DeliveryReport first = producer.produceAsync(Message.of(topic, "first")).await();
            DeliveryReport second = producer.produceSync(Message.of(topic, "second"));

            assertThat(first.offset()).isZero();
            assertThat(second.offset()).isEqualTo(1);
            assertThat(laterListener).hasSize(2);
            assertThat(errors).hasSize(2).allSatisfy(e -> {
                assertThat(e.errorType()).isEqualTo("callbacks.delivery.error");
                assertThat(e.cause()).isSameAs(boom);
                assertThat(e.kafkaError()).isNull();
            });
        }
        assertThat(KafkaBroker.read(topic, 2)).extracting(CoreFixtures::value).containsExactly("first", "second");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void throwingErrorListenerDoesNotLoopOrBreakDelivery(PollingMode mode) {
        String topic = KafkaBroker.newTopic("error-throw");
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("error-throw", mode).build())) {
            producer.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                throw new IllegalStateException("ack listener");
            });
            producer.monitor().subscribe(Event.ErrorOccurred.class, e -> {
                errors.add(e);
                throw new IllegalStateException("error listener too");
            });
            assertThat(producer.produceSync(Message.of(topic, "x")).offset()).isZero();
            assertThat(producer.produceSync(Message.of(topic, "y")).offset()).isEqualTo(1);
            // One error event per failed ack listener; the failing error listener is only logged.
            assertThat(errors).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void producedEventsTellSyncFromAsync(PollingMode mode) {
        String topic = KafkaBroker.newTopic("produced");
        List<Event.MessageProduced> produced = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("produced", mode).build())) {
            producer.monitor().subscribe(Event.MessageProduced.class, produced::add);
            producer.produceSync(Message.of(topic, "s"));
            producer.produceAsync(Message.of(topic, "a")).await();
            producer.produceManySync(List.of(Message.of(topic, "m1"), Message.of(topic, "m2")));
        }
        assertThat(produced).extracting(Event::type).containsExactly("message.produced_sync",
                "message.produced_async", "message.produced_async", "message.produced_async");
        assertThat(produced).extracting(e -> CoreFixtures.text(e.message().payload()))
                .containsExactly("s", "a", "m1", "m2");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void librdkafkaErrorCallbackBecomesAnErrorEventOnThePollingThread(PollingMode mode) {
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        AtomicReference<String> thread = new AtomicReference<>();
        try (Producer producer = new Producer(unreachableConfig("error-cb", mode).build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, e -> {
                thread.compareAndSet(null, Thread.currentThread().getName());
                errors.add(e);
            });
            producer.connect();
            await().atMost(WAIT).until(() -> !errors.isEmpty());
            assertThat(thread.get()).isEqualTo(CoreFixtures.expectedCallbackThread(producer));
            Event.ErrorOccurred error = errors.get(0);
            assertThat(error.errorType()).isEqualTo("librdkafka.error");
            // Connection refused: librdkafka reports the transport failure and then that all brokers are down.
            assertThat(error.kafkaError().name()).isIn("_TRANSPORT", "_ALL_BROKERS_DOWN");
            assertThat(error.kafkaError().message()).isNotBlank();
            assertThat(error.description()).startsWith("librdkafka.error: " + error.kafkaError().name());
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closedSubscriptionStopsReceivingEvents(PollingMode mode) {
        String topic = KafkaBroker.newTopic("unsubscribe");
        List<Event> received = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("unsubscribe", mode).build())) {
            Monitor.Subscription subscription = producer.monitor().subscribe(Event.MessageAcknowledged.class,
                    received::add);
            producer.produceSync(Message.of(topic, "seen"));
            subscription.close();
            producer.produceSync(Message.of(topic, "not seen"));
            assertThat(producer.monitor().hasListeners()).isFalse();
        }
        assertThat(received).hasSize(1);
    }
}
