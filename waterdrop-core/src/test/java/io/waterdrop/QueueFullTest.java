package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * librdkafka's local queue full ({@code _QUEUE_FULL}): a produce waits with back-off until space frees up, fails
 * with {@link QueueFullException} after {@code queue-full-timeout}, and never drops a message silently.
 */
class QueueFullTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<DeliveryHandle> fill(Producer producer, int count) {
        List<DeliveryHandle> handles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            handles.add(producer.produceAsync(Message.of("queue-full", "fill-" + i)));
        }
        return handles;
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void fullQueueFailsAfterTheQueueFullTimeout(PollingMode mode) {
        Duration queueFullTimeout = Duration.ofMillis(300);
        try (Producer producer = new Producer(unreachableConfig("queue-full", mode)
                .kafka("queue.buffering.max.messages", "10")
                .queueFullTimeout(queueFullTimeout).build())) {
            fill(producer, 10);
            assertThat(producer.pendingDeliveries()).isEqualTo(10);

            long start = System.nanoTime();
            assertThatThrownBy(() -> producer.produceAsync(Message.of("queue-full", "one too many")))
                    .isInstanceOfSatisfying(QueueFullException.class, e -> assertThat(e.getMessage()).contains(
                            "stayed full for 300 ms", "NOT accepted", "queue.buffering.max.messages"));
            // It retried for the whole configured wait before giving up (a lower bound, not a speed check).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(queueFullTimeout);
            assertThat(producer.pendingDeliveries()).isEqualTo(10);
            assertThatThrownBy(() -> producer.produceSync(Message.of("queue-full", "sync too")))
                    .isInstanceOf(QueueFullException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceWaitsUntilTheQueueHasRoomAgain(PollingMode mode) {
        try (Producer producer = new Producer(unreachableConfig("queue-wait", mode)
                .kafka("queue.buffering.max.messages", "10")
                .kafka("message.timeout.ms", "500")
                .queueFullTimeout(WAIT).build())) {
            List<DeliveryHandle> first = fill(producer, 10);

            // Room comes back only when librdkafka times the first ten out: the eleventh produce must wait for it.
            DeliveryHandle eleventh = producer.produceAsync(Message.of("queue-full", "waited"));

            assertThat(first).anySatisfy(h -> assertThat(h.isCompletedExceptionally()).isTrue());
            assertThat(first).filteredOn(DeliveryHandle::isDone).allSatisfy(h -> assertThatThrownBy(h::await)
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> assertThat(e.error().name()).isEqualTo("_MSG_TIMED_OUT")));
            assertThatThrownBy(eleventh::await).isInstanceOfSatisfying(ProduceException.class,
                    e -> assertThat(e.error().name()).isEqualTo("_MSG_TIMED_OUT"));
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceManyAsyncReturnsFailedHandlesForWhatDidNotFit(PollingMode mode) {
        try (Producer producer = new Producer(unreachableConfig("queue-many", mode)
                .kafka("queue.buffering.max.messages", "5")
                .queueFullTimeout(Duration.ofMillis(100)).build())) {
            List<Message> batch = IntStream.range(0, 8).mapToObj(i -> Message.of("queue-full", "m" + i)).toList();
            List<DeliveryHandle> handles = producer.produceManyAsync(batch);

            assertThat(handles).hasSize(8);
            assertThat(handles.subList(0, 5)).noneSatisfy(h -> assertThat(h.isDone()).isTrue());
            assertThat(handles.subList(5, 8)).allSatisfy(h -> assertThatThrownBy(h::await)
                    .isInstanceOf(QueueFullException.class));
            assertThat(handles.get(7).message()).isSameAs(batch.get(7));
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void fullQueueOnThePollingThreadFailsAtOnceInsteadOfBlockingIt(PollingMode mode) {
        CompletableFuture<Throwable> fromCallback = new CompletableFuture<>();
        try (Producer producer = new Producer(unreachableConfig("queue-callback", mode)
                .kafka("queue.buffering.max.messages", "1")
                .queueFullTimeout(Duration.ofMinutes(5)).build())) {
            fill(producer, 1);
            // librdkafka reports the refused connection through its error callback, on the polling thread.
            producer.monitor().subscribe(Event.ErrorOccurred.class, e -> {
                if (!fromCallback.isDone()) {
                    try {
                        producer.produceAsync(Message.of("queue-full", "from callback"));
                        fromCallback.complete(null);
                    } catch (Throwable t) {
                        fromCallback.complete(t);
                    }
                }
            });
            // Waiting 5 minutes here would stop the thread that empties the queue: it must fail right away.
            Throwable failure = fromCallback.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .join();
            assertThat(failure).isInstanceOfSatisfying(QueueFullException.class,
                    e -> assertThat(e.getMessage()).contains("stayed full for 0 ms"));
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void smallQueueWithAReachableBrokerDeliversEveryMessage(PollingMode mode) {
        String topic = KafkaBroker.newTopic("queue-backoff");
        int count = 2_000;
        List<DeliveryHandle> handles = new ArrayList<>(count);
        try (Producer producer = new Producer(brokerConfig("queue-backoff", mode)
                .kafka("queue.buffering.max.messages", "10")
                .queueFullTimeout(WAIT).build())) {
            for (int i = 0; i < count; i++) {
                handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
            }
            await().atMost(WAIT).until(() -> handles.stream().allMatch(DeliveryHandle::isDone));
            assertThat(handles).allSatisfy(h -> assertThat(h.await().offset()).isNotNegative());
        }
        Set<String> expected = IntStream.range(0, count).mapToObj(i -> "m" + i).collect(Collectors.toSet());
        List<String> read = KafkaBroker.read(topic, count).stream().map(CoreFixtures::value).toList();
        assertThat(read).hasSize(count);
        assertThat(new HashSet<>(read)).isEqualTo(expected);
    }
}
