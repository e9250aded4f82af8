package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fd budget holds INSIDE one rd_kafka_poll: a single call serves every queued delivery report, so without
 * yielding from the callback a burst of slow reports would keep the Poller on one producer for the whole burst.
 */
class PollerBudgetTest {

    private static final int BURST = 300;

    @Test
    void aBurstOfSlowReportsIsCutAtTheBudgetSoTheNeighbourIsServedInBetween() throws Exception {
        String topic = KafkaBroker.newTopic("budget");
        Poller poller = new Poller();
        List<String> ackOrder = new CopyOnWriteArrayList<>();
        CountDownLatch burstStarted = new CountDownLatch(1);
        try (Producer slow = new Producer(fdConfig(poller).name("budget-slow").fdMaxTime(Duration.ofMillis(20))
                        .kafka("linger.ms", "200").build()); // one produce request, one delivery-report op
                Producer neighbour = new Producer(fdConfig(poller).name("budget-neighbour").build())) {
            neighbour.produceSync(Message.of(topic, "warm-up")); // connected and idle before the burst
            slow.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                ackOrder.add("slow");
                burstStarted.countDown();
                sleepMillis(2); // the scenario: a slow callback, 300 of them are ~600 ms of Poller time
            });
            neighbour.monitor().subscribe(Event.MessageAcknowledged.class, e -> ackOrder.add("neighbour"));

            List<DeliveryHandle> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(slow.produceAsync(Message.of(topic, "burst-" + i)));
            }
            assertThat(burstStarted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            DeliveryHandle neighbourHandle = neighbour.produceAsync(Message.of(topic, "between"));

            await().atMost(PATIENCE).until(() -> burst.stream().allMatch(DeliveryHandle::isDone)
                    && neighbourHandle.isDone());
            int neighbourAt = ackOrder.indexOf("neighbour");
            // 20 ms of 2 ms callbacks is ~10 reports per turn; without the yield the neighbour would come after
            // all 300. Half the burst leaves ample room for a loaded machine.
            assertThat(neighbourAt).as("position of the neighbour's ack among %s acks", ackOrder.size())
                    .isBetween(1, BURST / 2);
            assertThat(poller.stats().budgetExhaustions()).isGreaterThan(0);
        }
        assertThat(KafkaBroker.read(topic, BURST + 2)).hasSize(BURST + 2);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
