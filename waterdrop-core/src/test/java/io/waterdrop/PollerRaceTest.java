package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.internal.polling.FdRegistration;
import io.waterdrop.internal.polling.PollerLoop;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registration racing the Poller's shutdown (WaterDrop fix #896): the last producer of a Poller leaves while a new
 * one registers. The Poller either keeps running for the newcomer or stops and a new thread starts for it; it must
 * never stop with the newcomer queued, which would leave it unpolled and hang its sync produces.
 */
class PollerRaceTest {

    private static final Duration BUDGET = Duration.ofMillis(100);
    /** Long, so a newcomer the loop failed to watch is not rescued by a timeout poll within the test's wait. */
    private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(5);

    private final ExecutorService closer = Executors.newSingleThreadExecutor(r -> new Thread(r, "race-closer"));

    @AfterEach
    void stopCloser() {
        closer.shutdownNow();
    }

    @Test
    void registerRacingTheLastCloseIsAlwaysPolled() throws Exception {
        PollerLoop loop = new PollerLoop(1_000_000, LONG_POLL_TIMEOUT);
        int iterations = 2_000;
        AtomicInteger joinedRunningThread = new AtomicInteger();

        for (int i = 0; i < iterations; i++) {
            SimulatedClient leaving = new SimulatedClient("leaving-" + i);
            FdRegistration leavingRegistration = leaving.registration(BUDGET);
            loop.register(leavingRegistration);
            awaitQuickly(() -> !leaving.registeredWith.isEmpty(), "iteration " + i + ": first producer admitted");

            int jitter = ThreadLocalRandom.current().nextInt(2_000);
            Future<?> closed = closer.submit(() -> {
                leavingRegistration.requestClose();
                leavingRegistration.unregistered().get(SERVED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            });
            for (int spin = 0; spin < jitter; spin++) {
                Thread.onSpinWait();
            }
            long startsBefore = loop.threadStarts();
            SimulatedClient joining = new SimulatedClient("joining-" + i);
            FdRegistration joiningRegistration = joining.registration(BUDGET);
            loop.register(joiningRegistration);
            joining.enqueue(1);

            awaitQuickly(() -> joining.served.get() >= 1, "iteration " + i + ": the newcomer was polled");
            closed.get(SERVED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            if (loop.threadStarts() == startsBefore) {
                joinedRunningThread.incrementAndGet();
            }
            joiningRegistration.requestClose();
            joiningRegistration.unregistered().get(SERVED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(leaving.unregisteredFrom).containsExactly(1_000_000);
            assertThat(joining.ioEventFds).as("io events on, then off before the pipe closed").hasSize(2).endsWith(-1);
        }

        assertThat(loop.awaitStopped(PATIENCE)).isTrue();
        assertThat(loop.producers()).isEmpty();
        assertThat(loop.loopErrors()).isZero();
        // Both sides of the race happened: newcomers kept the old thread alive, and others got a fresh one.
        System.out.printf("register/shutdown race: %d of %d newcomers joined the running thread, %d thread starts%n",
                joinedRunningThread.get(), iterations, loop.threadStarts());
        assertThat(joinedRunningThread.get()).isPositive().isLessThan(iterations);
    }

    /** The stop decision precedes the thread's exit: awaitStopped() must wait for the exit itself. */
    @Test
    void awaitStoppedReturnsOnlyOnceTheThreadHasEnded() throws Exception {
        PollerLoop loop = new PollerLoop(1_000_001, LONG_POLL_TIMEOUT);
        for (int i = 0; i < 1_000; i++) {
            SimulatedClient client = new SimulatedClient("stopping-" + i);
            FdRegistration registration = client.registration(BUDGET);
            loop.register(registration);
            Thread thread = loop.thread();
            registration.requestClose();
            registration.unregistered().get(SERVED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(loop.awaitStopped(SERVED_WITHIN)).isTrue();
            assertThat(thread.isAlive()).as("iteration %d: thread alive after awaitStopped() returned true", i)
                    .isFalse();
        }
    }

    /** Spins briefly instead of Awaitility's 100 ms poll interval: thousands of iterations must stay fast. */
    private static void awaitQuickly(BooleanSupplier condition, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + SERVED_WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("not within " + SERVED_WITHIN + ": " + what);
            }
            Thread.sleep(0, 50_000);
        }
    }

    /** The same race with real librdkafka producers: the newcomer's produceSync always completes. */
    @Test
    void newProducerRegisteringWhileTheLastOneClosesCanProduce() throws Exception {
        String topic = KafkaBroker.newTopic("register-race");
        Poller poller = new Poller(LONG_POLL_TIMEOUT);
        int iterations = 15;
        Producer leaving = Producer.create(fdConfig(poller).name("race-first").build());
        for (int i = 0; i < iterations; i++) {
            Producer last = leaving;
            Future<?> closed = closer.submit(() -> last.close());
            Producer joining = Producer.create(fdConfig(poller).name("race-" + i)
                    .maxWaitTimeout(Duration.ofSeconds(10)).build());
            DeliveryReport report = joining.produceSync(Message.of(topic, "race-" + i));
            assertThat(report.isDelivered()).isTrue();
            closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            leaving = joining;
        }
        leaving.close();

        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
        assertThat(poller.stats().loopErrors()).isZero();
        assertThat(KafkaBroker.read(topic, iterations)).hasSize(iterations);
    }
}
