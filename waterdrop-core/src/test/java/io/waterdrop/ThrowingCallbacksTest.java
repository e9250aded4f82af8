package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hostile callbacks on one Poller: a listener and a dependent stage that throw on every one of 10,000 messages, and a
 * listener that blocks the Poller thread for 3 s. That Poller survives and keeps serving; a producer on another Poller
 * keeps delivering meanwhile (its latency is printed, only correctness is asserted).
 */
class ThrowingCallbacksTest {

    private static final int MESSAGES = 10_000;
    /** The blocking listener's sleep IS the scenario. */
    private static final long BLOCK_MS = 3_000;

    @Test
    void pollerSurvivesThrowingAndBlockingCallbacksAndOtherPollersKeepDelivering() throws Exception {
        String topic = KafkaBroker.newTopic("hostile", 2);
        Poller hostilePoller = new Poller();
        Poller otherPoller = new Poller();
        AtomicInteger listenerErrors = new AtomicInteger();
        AtomicBoolean blockNext = new AtomicBoolean();
        CountDownLatch blocking = new CountDownLatch(1);
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        try (Producer hostile = Producer.create(fdConfig(hostilePoller).name("hostile").build());
                Producer neighbour = Producer.create(fdConfig(hostilePoller).name("hostile-neighbour").build());
                Producer other = Producer.create(fdConfig(otherPoller).name("other-poller").build())) {
            hostile.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                throw new IllegalStateException("listener fails on " + e.message().key());
            });
            hostile.monitor().subscribe(Event.ErrorOccurred.class, e -> {
                if (e.errorType().equals("callbacks.delivery.error")) {
                    listenerErrors.incrementAndGet();
                }
            });
            neighbour.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                if (blockNext.compareAndSet(true, false)) {
                    blocking.countDown();
                    sleepQuietly(BLOCK_MS);
                }
            });
            other.produceSync(Message.of(topic, "warm-up"));
            neighbour.produceSync(Message.of(topic, "warm-up"));

            CompletableFuture<Void> measuring = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 200; i++) {
                    long started = System.nanoTime();
                    assertThat(other.produceSync(Message.of(topic, "other-" + i)).isDelivered()).isTrue();
                    latenciesMicros.add((System.nanoTime() - started) / 1_000);
                }
            });
            List<DeliveryHandle> handles = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                handles.add(hostile.produceAsync(Message.builder(topic).key("k" + i).payload("hostile-" + i).build()));
                handles.get(i).thenAccept(report -> {
                    throw new IllegalStateException("dependent stage fails too");
                });
                if (i == MESSAGES / 2) {
                    blockNext.set(true);
                    neighbour.produceAsync(Message.of(topic, "blocks-the-poller"));
                }
            }
            assertThat(blocking.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(handles).allSatisfy(handle -> assertThat(handle.await(PATIENCE).isDelivered()).isTrue());
            measuring.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(listenerErrors.get()).isEqualTo(MESSAGES));
            assertThat(neighbour.produceSync(Message.of(topic, "after")).isDelivered()).isTrue();
            assertThat(hostile.produceSync(Message.of(topic, "after")).isDelivered()).isTrue();
            assertThat(hostilePoller.stats()).satisfies(stats -> {
                assertThat(stats.alive()).isTrue();
                assertThat(stats.loopErrors()).isZero();
                assertThat(stats.producers()).containsExactlyInAnyOrder("hostile", "hostile-neighbour");
            });
            List<Long> sorted = new ArrayList<>(latenciesMicros);
            Collections.sort(sorted);
            System.out.printf("hostile callbacks: produceSync on another Poller during 10,000 throwing callbacks and"
                    + " a 3 s block: %d sends, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.size(),
                    sorted.get(sorted.size() / 2) / 1000.0, sorted.get(sorted.size() * 99 / 100) / 1000.0,
                    sorted.get(sorted.size() - 1) / 1000.0);
        }
        assertThat(hostilePoller.awaitStopped(PATIENCE)).isTrue();
        assertThat(otherPoller.awaitStopped(PATIENCE)).isTrue();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
