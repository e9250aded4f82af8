package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a Poller reports about itself, and proof that librdkafka's pipe, not the poll timeout, drives it. */
class PollerStatsTest {

    /**
     * With a 30 s poll timeout the Poller would sleep through 4 s of statistics unless librdkafka's byte on the pipe
     * woke it: every callback here comes from a pipe wake-up, none from a timeout.
     */
    @Test
    void statisticsWakeThePollerThroughThePipe() {
        Poller poller = new Poller(Duration.ofSeconds(30));
        Producer producer = new Producer(fdConfig(poller).name("statistics-pipe")
                .kafka("statistics.interval.ms", "100").build());
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger statistics = new AtomicInteger();
        producer.monitor().subscribe(Event.StatisticsEmitted.class, event -> {
            threads.add(Thread.currentThread().getName());
            assertThat(event.statistics()).containsKey("name");
            statistics.incrementAndGet();
        });
        producer.connect();
        long started = System.nanoTime();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statistics.get()).isGreaterThanOrEqualTo(10));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("statistics: %d callbacks in %d ms with a 30 s poll timeout%n", statistics.get(), elapsedMs);
        assertThat(poller.stats().timeoutPolls()).as("polls after a poll(2) timeout").isZero();
        assertThat(elapsedMs).as("10 statistics at 100 ms intervals, long before the 30 s timeout").isLessThan(10_000);
        assertThat(threads).containsOnly(poller.threadName());
        producer.close();
    }

    @Test
    void countersAndProducersMoveAsTheLoopRuns() throws Exception {
        String topic = KafkaBroker.newTopic("poller-stats");
        Poller poller = new Poller(Duration.ofMillis(200));
        PollerStats idle = poller.stats();
        assertThat(idle.alive()).isFalse();
        assertThat(idle.id()).isEqualTo(poller.id());
        assertThat(idle.threadName()).isEqualTo("waterdrop.poller#" + poller.id());
        assertThat(idle.pollTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(idle.producers()).isEmpty();
        assertThat(idle.loopIterations()).isZero();
        assertThat(idle.lastLoopTime()).isNull();

        Producer beta = Producer.create(fdConfig(poller).name("stats-beta").build());
        Producer alpha = Producer.create(fdConfig(poller).name("stats-alpha").build());
        PollerStats running = poller.stats();
        assertThat(running.alive()).isTrue();
        assertThat(running.producers()).containsExactly("stats-alpha", "stats-beta");
        assertThat(running.threadStarts()).isEqualTo(1);
        // Each registration wakes the loop through its own pipe, so the new pipe is watched at once.
        await().atMost(PATIENCE).until(() -> poller.stats().wakeups() >= 1);

        // Idle producers: poll(2) times out every 200 ms and every producer gets a safety-net poll.
        long timeoutsBefore = poller.stats().timeoutPolls();
        await().atMost(PATIENCE).until(() -> poller.stats().timeoutPolls() >= timeoutsBefore + 3);
        PollerStats afterTimeouts = poller.stats();
        assertThat(afterTimeouts.loopIterations()).isGreaterThanOrEqualTo(afterTimeouts.timeoutPolls());
        assertThat(afterTimeouts.lastLoopTime()).isNotNull();

        alpha.produceSync(Message.of(topic, "alpha"));
        beta.produceSync(Message.of(topic, "beta"));
        assertThat(poller.stats().loopErrors()).isZero();

        alpha.close();
        assertThat(poller.stats().producers()).containsExactly("stats-beta");
        beta.close();
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
        PollerStats stopped = poller.stats();
        assertThat(stopped.alive()).isFalse();
        assertThat(stopped.producers()).isEmpty();
        assertThat(stopped.loopIterations()).isGreaterThanOrEqualTo(afterTimeouts.loopIterations());
    }

    /**
     * While one producer keeps the Poller busy (its pipe fires all the time, poll(2) never times out), an idle one
     * still gets polled every periodic-poll-interval, so its statistics and error callbacks are not starved.
     */
    @Test
    void busyPollerStillPollsIdleProducersPeriodically() throws Exception {
        String topic = KafkaBroker.newTopic("periodic");
        Poller poller = new Poller(Duration.ofSeconds(30));
        Producer busy = Producer.create(fdConfig(poller).name("periodic-busy").build());
        Producer idle = Producer.create(fdConfig(poller).name("periodic-idle")
                .fdPeriodicPollInterval(Duration.ofMillis(100)).build());
        busy.produceSync(Message.of(topic, "warm-up"));
        long periodicBefore = poller.stats().periodicPolls();
        long timeoutsBefore = poller.stats().timeoutPolls();

        AtomicBoolean stop = new AtomicBoolean();
        Thread flood = new Thread(() -> {
            while (!stop.get()) {
                DeliveryHandle last = null;
                for (int i = 0; i < 50; i++) {
                    last = busy.produceAsync(Message.of(topic, "flood"));
                }
                last.await();
            }
        }, "periodic-flood");
        flood.start();
        long started = System.nanoTime();
        try {
            await().atMost(PATIENCE).until(() -> poller.stats().periodicPolls() >= periodicBefore + 3);
            System.out.printf("periodic: 3 periodic polls in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        } finally {
            stop.set(true);
            flood.join();
        }

        assertThat(poller.stats().timeoutPolls()).as("the busy producer kept poll(2) from timing out")
                .isEqualTo(timeoutsBefore);
        busy.close();
        idle.close();
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
    }
}
