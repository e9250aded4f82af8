package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.internal.polling.FdRegistration;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An abnormal end of a Poller thread (an {@link Error} in the loop, or the failure handling failing) must neither
 * strand its producers (CONNECTED, never polled again) nor hide: a new thread life takes the producers over after a
 * back-off and each gets a {@code poller.restarted} event; after 5 abnormal exits in a row the Poller gives up,
 * reports {@code poller.stopped} and {@link Producer#pollingInfo()} shows the failure. The Error is injected through
 * the loop's seam to its producers, {@code PolledClient}, with a simulated producer next to a real one.
 */
class PollerRestartTest {

    private static final Duration BUDGET = Duration.ofMillis(100);

    /** error.occurred events of the real producer next to the failing simulated one. */
    private final List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();

    /** A real producer on {@code poller} whose error events land in {@link #errors}. */
    private Producer bystander(Poller poller, String name) {
        Producer producer = Producer.create(fdConfig(poller).name(name).build());
        producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
        return producer;
    }

    @Test
    void errorInTheLoopRestartsTheThreadAndItsProducersKeepDelivering() throws Exception {
        String topic = KafkaBroker.newTopic("poller-restart");
        Poller poller = new Poller();
        Producer producer = bystander(poller, "restart-bystander");
        assertThat(producer.produceSync(Message.of(topic, "before")).isDelivered()).isTrue();
        Thread first = poller.loop().thread();
        ErrorThrowingClient culprit = new ErrorThrowingClient("restart-culprit", 1);
        FdRegistration culpritRegistration = culprit.registration(BUDGET);
        poller.loop().register(culpritRegistration);
        await().atMost(PATIENCE).until(() -> culprit.registeredWith.size() == 1);

        culprit.enqueue(1);

        await().atMost(PATIENCE).until(() -> !errors.isEmpty());
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.errorType()).isEqualTo("poller.restarted");
            assertThat(error.cause()).hasMessageStartingWith(poller.threadName() + " stopped abnormally")
                    .hasMessageEndingWith("restarted it, attempt 1 of 5")
                    .hasCauseInstanceOf(InjectedError.class);
        });
        await().atMost(PATIENCE).until(() -> poller.loop().thread() != first && !first.isAlive());
        assertThat(poller.loop().thread().getName()).isEqualTo(poller.threadName());
        assertThat(producer.produceSync(Message.of(topic, "after")).isDelivered()).isTrue();
        assertThat(producer.pollingInfo().polled()).isTrue();
        culprit.enqueue(2);
        await().atMost(PATIENCE).until(() -> culprit.served.get() >= 3);
        assertThat(culprit.registeredWith).as("re-admitted without a second registered event").hasSize(1);
        assertThat(culprit.pollingErrors).containsExactly("poller.restarted");
        PollerStats stats = poller.stats();
        assertThat(stats.abnormalExits()).isEqualTo(1);
        assertThat(stats.restarts()).isEqualTo(1);
        assertThat(stats.producers()).containsExactly("restart-bystander", "restart-culprit");

        culpritRegistration.requestClose();
        culpritRegistration.unregistered().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        FdTestSupport.closeAll(List.of(producer));
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
        assertThat(KafkaBroker.read(topic, 2)).extracting(r -> new String(r.value())).containsExactly("before", "after");
    }

    /** The other way out of a life: interrupted while backing off from failing passes. */
    @Test
    void interruptedPollerThreadIsReplacedAndItsProducersKeepDelivering() throws Exception {
        String topic = KafkaBroker.newTopic("poller-interrupted");
        Poller poller = new Poller();
        Producer producer = bystander(poller, "interrupt-bystander");
        ErrorThrowingClient failing = new ErrorThrowingClient("interrupt-failing", 0);
        failing.exceptionsLeft.set(Integer.MAX_VALUE);
        poller.loop().register(failing.registration(BUDGET));
        failing.enqueue(1);
        await().atMost(PATIENCE).until(() -> errors.stream().anyMatch(e -> e.errorType().equals("poller.polling_loop")));
        Thread first = poller.loop().thread();

        // Java's interrupt does not break poll(2); the flag makes the next back-off sleep throw at the latest.
        first.interrupt();
        first.join(PATIENCE.toMillis());
        failing.exceptionsLeft.set(0);

        assertThat(first.isAlive()).isFalse();
        await().atMost(PATIENCE).until(() -> errors.stream().anyMatch(e -> e.errorType().equals("poller.restarted")));
        assertThat(producer.produceSync(Message.of(topic, "after the interrupt")).isDelivered()).isTrue();
        assertThat(producer.pollingInfo().polled()).isTrue();
        assertThat(poller.stats().restarts()).isEqualTo(1);
        FdTestSupport.closeAll(List.of(producer));
        assertThat(KafkaBroker.read(topic, 1)).hasSize(1);
    }

    @Test
    void afterFiveAbnormalExitsInARowThePollerGivesUpLoudly() throws Exception {
        Poller poller = new Poller();
        Producer producer = bystander(poller, "give-up-bystander");
        ErrorThrowingClient culprit = new ErrorThrowingClient("give-up-culprit", Integer.MAX_VALUE);
        FdRegistration culpritRegistration = culprit.registration(BUDGET);
        poller.loop().register(culpritRegistration);

        culprit.enqueue(1);

        // Back-offs 100, 200, 400, 800 and 1,600 ms between the six lives.
        culpritRegistration.unregistered().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(PATIENCE).until(() -> !producer.pollingInfo().polled());
        assertThat(errors).extracting(Event.ErrorOccurred::errorType)
                .containsExactly("poller.restarted", "poller.restarted", "poller.restarted", "poller.restarted",
                        "poller.restarted", "poller.stopped");
        assertThat(errors.get(5).cause()).hasMessage(producer.pollingInfo().failure());
        assertThat(producer.pollingInfo().failure())
                .startsWith(poller.threadName() + " stopped abnormally 6 times in a row")
                .contains(InjectedError.class.getName())
                .endsWith("this producer is no longer polled: close it and create a new one");
        assertThat(culprit.ioEventFds).as("io events off before the pipe closed").last().isEqualTo(-1);
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
        assertThat(poller.stats().abnormalExits()).isEqualTo(6);
        assertThat(poller.stats().restarts()).isEqualTo(5);
        assertThat(poller.stats().producers()).isEmpty();
        assertThatThrownBy(() -> producer.produceAsync(Message.of("never-polled", "lost")))
                .isInstanceOf(PollingStoppedException.class)
                .hasMessageContaining("is no longer polled").hasCause(errors.get(5).cause());
        FdTestSupport.closeAll(List.of(producer)); // does not hang: the producer was released

        // The Poller itself is usable again: the next producer starts a fresh thread.
        String topic = KafkaBroker.newTopic("poller-after-give-up");
        Producer next = Producer.create(fdConfig(poller).name("after-give-up").build());
        assertThat(next.produceSync(Message.of(topic, "fresh thread")).isDelivered()).isTrue();
        assertThat(next.pollingInfo().polled()).isTrue();
        FdTestSupport.closeAll(List.of(next));
    }

    /** An Error no loop should catch as routine; stands for OutOfMemoryError, StackOverflowError and the like. */
    static final class InjectedError extends Error {
        InjectedError(String message) {
            super(message);
        }
    }

    /**
     * Polls that find events throw an {@link InjectedError} {@code errors} times (re-queueing an event each time, so
     * the next thread life meets it again), or an ordinary exception while {@link #exceptionsLeft} is positive.
     */
    private static final class ErrorThrowingClient extends SimulatedClient {
        final AtomicInteger errorsLeft;
        final AtomicInteger exceptionsLeft = new AtomicInteger();

        ErrorThrowingClient(String name, int errors) {
            super(name);
            this.errorsLeft = new AtomicInteger(errors);
            serving(events -> {
                if (events == 0) {
                    return 0;
                }
                if (exceptionsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    enqueue(1);
                    throw new IllegalStateException("simulated poll failure of " + name);
                }
                if (errorsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    enqueue(1);
                    throw new InjectedError("injected into the Poller loop by " + name);
                }
                return events;
            });
        }
    }
}
