package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Callback saturation (WaterDrop's scenario): every callback of every producer on a Poller runs on its one thread, so
 * a slow statistics listener of one producer delays the deliveries of the others on that Poller; a dedicated Poller
 * isolates them.
 */
class PollerIsolationTest {

    /** The slow listener's sleep IS the scenario. */
    private static final long SLOW_LISTENER_MS = 3_000;

    @Test
    void slowStatisticsListenerDelaysAnotherProducerOnTheSamePoller() throws Exception {
        String topic = KafkaBroker.newTopic("saturated");
        Poller shared = new Poller();
        SlowStatistics slow = new SlowStatistics(shared);
        Producer delayed = Producer.create(fdConfig(shared).name("delayed").build());
        delayed.produceSync(Message.of(topic, "warm-up")); // connection and metadata ready before measuring

        slow.armAndAwaitSleeping();
        long started = System.nanoTime();
        DeliveryReport report = delayed.produceSync(Message.of(topic, "delayed"));
        long returned = System.nanoTime();
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(returned - started);

        assertThat(report.isDelivered()).isTrue();
        // The report could only be served once the Poller thread left the slow listener.
        assertThat(returned).isGreaterThanOrEqualTo(slow.finishedAt());
        assertThat(latencyMs).as("produceSync latency behind a 3 s listener on the same Poller")
                .isGreaterThanOrEqualTo(2_000);

        slow.producer.close();
        delayed.close();
        assertThat(shared.awaitStopped(PATIENCE)).isTrue();
        assertThat(shared.isAlive()).isFalse();
        await().atMost(PATIENCE).until(() -> FdTestSupport.threadsNamed(shared.threadName()).isEmpty());
    }

    @Test
    void dedicatedPollerIsNotDelayedByASlowListenerElsewhere() throws Exception {
        String topic = KafkaBroker.newTopic("isolated");
        Poller slowPoller = new Poller();
        Poller isolatedPoller = new Poller();
        SlowStatistics slow = new SlowStatistics(slowPoller);
        Producer isolated = Producer.create(fdConfig(isolatedPoller).name("isolated").build());
        isolated.produceSync(Message.of(topic, "warm-up"));

        slow.armAndAwaitSleeping();
        long started = System.nanoTime();
        DeliveryReport report = isolated.produceSync(Message.of(topic, "isolated"));
        boolean otherPollerStillSleeping = slow.isSleeping();
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(report.isDelivered()).isTrue();
        assertThat(otherPollerStillSleeping).as("delivered while the other Poller sat in the slow listener").isTrue();
        assertThat(latencyMs).isLessThan(SLOW_LISTENER_MS);

        slow.producer.close();
        isolated.close();
        for (Poller poller : new Poller[] {slowPoller, isolatedPoller}) {
            assertThat(poller.awaitStopped(PATIENCE)).isTrue();
            assertThat(poller.isAlive()).isFalse();
            await().atMost(PATIENCE).until(() -> FdTestSupport.threadsNamed(poller.threadName()).isEmpty());
        }
        assertThat(KafkaBroker.read(topic, 2)).hasSize(2);
    }

    /** A producer whose statistics callback, once armed, sleeps 3 s on its Poller's thread. */
    private static final class SlowStatistics {
        final Producer producer;
        private final CountDownLatch sleeping = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicLong finishedAt = new AtomicLong(Long.MAX_VALUE);

        SlowStatistics(Poller poller) {
            producer = new Producer(fdConfig(poller).name("slow-statistics-" + poller.id())
                    .kafka("statistics.interval.ms", "100").build());
            producer.monitor().subscribe(Event.StatisticsEmitted.class, e -> {
                if (armed.compareAndSet(true, false)) {
                    sleeping.countDown();
                    try {
                        Thread.sleep(SLOW_LISTENER_MS);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    finishedAt.set(System.nanoTime());
                }
            });
            producer.connect();
        }

        /** The next statistics callback sleeps; callers warm up other producers first. */
        void armAndAwaitSleeping() throws InterruptedException {
            armed.set(true);
            assertThat(sleeping.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }

        boolean isSleeping() {
            return sleeping.getCount() == 0 && finishedAt.get() == Long.MAX_VALUE;
        }

        long finishedAt() {
            return finishedAt.get();
        }
    }
}
