package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.internal.polling.FdRegistration;
import io.waterdrop.internal.polling.PollerLoop;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Failures never kill a Poller silently: a throwing listener becomes an error event (the delivery handle completes
 * anyway), and a failing loop pass is reported to every producer and followed by a doubling back-off that resets after
 * a healthy pass. Abnormal thread exits (restart, give-up): {@link PollerRestartTest}.
 */
class PollerErrorsTest {

    private static final Duration BUDGET = Duration.ofMillis(100);

    @Test
    void throwingDeliveryListenerNeitherKillsThePollerNorLosesTheReport() {
        String topic = KafkaBroker.newTopic("throwing-listener");
        Poller poller = new Poller();
        Producer producer = Producer.create(fdConfig(poller).name("throwing-delivery").build());
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
        Monitor.Subscription throwing = producer.monitor().subscribe(Event.MessageAcknowledged.class, event -> {
            throw new IllegalStateException("listener failed on " + new String(event.message().payload()));
        });

        for (int i = 0; i < 5; i++) {
            assertThat(producer.produceSync(Message.of(topic, "m" + i)).isDelivered()).isTrue();
        }
        await().atMost(PATIENCE).until(() -> errors.size() >= 5);
        assertThat(errors).allSatisfy(error -> {
            assertThat(error.errorType()).isEqualTo("callbacks.delivery.error");
            assertThat(error.producer()).isEqualTo("throwing-delivery");
            assertThat(error.cause()).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("listener failed on m");
        });
        assertThat(poller.isAlive()).isTrue();

        throwing.close();
        List<DeliveryHandle> later = new ArrayList<>();
        for (int i = 5; i < 10; i++) {
            later.add(producer.produceAsync(Message.of(topic, "m" + i)));
        }
        assertThat(later).allSatisfy(handle -> assertThat(handle.await().isDelivered()).isTrue());
        assertThat(poller.stats().loopErrors()).isZero();
        producer.close();
        assertThat(KafkaBroker.read(topic, 10)).hasSize(10);
    }

    @Test
    void throwingStatisticsListenerBecomesAStatisticsError() {
        Poller poller = new Poller();
        Producer producer = new Producer(fdConfig(poller).name("throwing-statistics")
                .kafka("statistics.interval.ms", "100").build());
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
        AtomicInteger statistics = new AtomicInteger();
        producer.monitor().subscribe(Event.StatisticsEmitted.class, event -> {
            statistics.incrementAndGet();
            throw new UnsupportedOperationException("statistics listener failed");
        });
        producer.connect();

        await().atMost(PATIENCE).until(() -> statistics.get() >= 3 && errors.size() >= 3);
        assertThat(errors).extracting(Event.ErrorOccurred::errorType).containsOnly("callbacks.statistics.error");
        assertThat(errors).extracting(Event.ErrorOccurred::cause)
                .allSatisfy(cause -> assertThat(cause).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessage("statistics listener failed"));
        assertThat(poller.isAlive()).isTrue();
        assertThat(poller.stats().loopErrors()).isZero();
        producer.close();
    }

    /** A loop failure (here a failing neighbour) reaches every producer of the Poller as poller.polling_loop. */
    @Test
    void loopFailureIsReportedToEveryProducerAndThePollerKeepsServing() throws Exception {
        String topic = KafkaBroker.newTopic("loop-failure");
        Poller poller = new Poller();
        Producer producer = Producer.create(fdConfig(poller).name("loop-failure-victim").build());
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
        FailingClient failing = failingClient("loop-failure-culprit", 2);
        FdRegistration failingRegistration = failing.registration(BUDGET);

        poller.loop().register(failingRegistration);
        failing.enqueue(1);

        await().atMost(PATIENCE).until(() -> errors.size() >= 2 && failing.pollingErrors.size() >= 2);
        assertThat(errors).extracting(Event.ErrorOccurred::errorType).containsOnly("poller.polling_loop");
        assertThat(errors).extracting(Event.ErrorOccurred::cause)
                .allSatisfy(cause -> assertThat(cause).hasMessageStartingWith("simulated poll failure"));
        assertThat(failing.pollingErrors).containsOnly("poller.polling_loop");
        assertThat(poller.isAlive()).isTrue();
        assertThat(producer.produceSync(Message.of(topic, "after the failures")).isDelivered()).isTrue();
        assertThat(poller.stats().loopErrors()).isEqualTo(2);

        failingRegistration.requestClose();
        failingRegistration.unregistered().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        producer.close();
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
    }

    /** Back-off: 100 ms doubling while the loop keeps failing, and back to 100 ms after one healthy pass. */
    @Test
    void backOffDoublesWhileFailingAndResetsAfterAHealthyPass() throws Exception {
        PollerLoop loop = new PollerLoop(2_000_000, Duration.ofSeconds(30));
        FailingClient failing = failingClient("backing-off", 4);
        FdRegistration registration = failing.registration(BUDGET);
        loop.register(registration);
        failing.enqueue(1);

        // Four failing polls, then a healthy one: the gaps are the back-offs 100, 200, 400 and 800 ms.
        await().atMost(PATIENCE).until(() -> failing.pollTimes.size() >= 5);
        List<Long> gaps = gapsMillis(failing.pollTimes.subList(0, 5));
        System.out.println("back-off gaps while failing (ms): " + gaps);
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200);
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400);
        assertThat(gaps.get(3)).isGreaterThanOrEqualTo(800);

        // After the healthy pass, one more failure waits the initial 100 ms again, not 1,600 ms.
        int pollsBefore = failing.pollTimes.size();
        failing.failuresLeft.set(1);
        failing.enqueue(1);
        await().atMost(PATIENCE).until(() -> failing.pollTimes.size() >= pollsBefore + 2);
        long resetGap = gapsMillis(failing.pollTimes.subList(pollsBefore, pollsBefore + 2)).get(0);
        System.out.println("back-off after a healthy pass (ms): " + resetGap);
        assertThat(resetGap).isGreaterThanOrEqualTo(100).isLessThan(800);

        assertThat(loop.loopErrors()).isEqualTo(5);
        assertThat(loop.isAlive()).isTrue();
        registration.requestClose();
        registration.unregistered().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(loop.awaitStopped(PATIENCE)).isTrue();
    }

    /** A client whose polls throw {@code failures} times; each failing poll re-queues an event so the pipe fires. */
    private static FailingClient failingClient(String name, int failures) {
        return new FailingClient(name, failures);
    }

    private static List<Long> gapsMillis(List<Long> nanoTimes) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < nanoTimes.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(nanoTimes.get(i) - nanoTimes.get(i - 1)));
        }
        return gaps;
    }

    private static final class FailingClient extends SimulatedClient {
        final AtomicInteger failuresLeft;
        final List<Long> pollTimes = new CopyOnWriteArrayList<>();

        FailingClient(String name, int failures) {
            super(name);
            this.failuresLeft = new AtomicInteger(failures);
            serving(events -> {
                if (events == 0) {
                    return 0; // an ordinary poll of an empty queue (admission, timeout or periodic poll)
                }
                pollTimes.add(System.nanoTime());
                if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    enqueue(1);
                    throw new IllegalStateException("simulated poll failure of " + name);
                }
                return events;
            });
        }
    }
}
