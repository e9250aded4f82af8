package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Producing never waits for the Poller: an async produce hands the message to librdkafka and returns, even while the
 * Poller thread is stuck in a listener and a burst is in flight. Proven with latches, not timings: every call below
 * returns while the listener is still blocked, which it could not if produce needed the Poller.
 */
class PollerNonBlockingTest {

    @Test
    void asyncProduceReturnsWhileThePollerIsBlockedInAListenerDuringABurst() throws Exception {
        String topic = KafkaBroker.newTopic("non-blocking");
        Poller poller = new Poller();
        Producer blocking = Producer.create(fdConfig(poller).name("blocks-poller").build());
        Producer neighbour = Producer.create(fdConfig(poller).name("neighbour").build());
        blocking.produceSync(Message.of(topic, "warm-up"));
        neighbour.produceSync(Message.of(topic, "warm-up"));

        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listenerFinished = new AtomicBoolean();
        AtomicBoolean blockOnce = new AtomicBoolean(true);
        blocking.monitor().subscribe(Event.MessageAcknowledged.class, event -> {
            if (blockOnce.compareAndSet(true, false)) {
                inListener.countDown();
                try {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                listenerFinished.set(true);
            }
        });

        DeliveryHandle first = blocking.produceAsync(Message.of(topic, "blocks"));
        assertThat(inListener.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        // The Poller thread sits in the listener now. A 500-message burst from both producers on that Poller:
        List<DeliveryHandle> burst = new ArrayList<>();
        long slowestCallNanos = 0;
        for (int i = 0; i < 250; i++) {
            for (Producer producer : List.of(blocking, neighbour)) {
                long started = System.nanoTime();
                burst.add(producer.produceAsync(Message.of(topic, producer.name() + "-" + i)));
                slowestCallNanos = Math.max(slowestCallNanos, System.nanoTime() - started);
            }
        }

        assertThat(listenerFinished).as("every produceAsync returned while the listener still blocked the Poller")
                .isFalse();
        assertThat(burst).hasSize(500).noneMatch(DeliveryHandle::isDone);
        System.out.printf("non-blocking: slowest of 500 produceAsync calls behind a blocked Poller took %.2f ms%n",
                slowestCallNanos / 1e6);

        release.countDown();
        assertThat(first.await().isDelivered()).isTrue();
        assertThat(burst).allSatisfy(handle -> assertThat(handle.await().isDelivered()).isTrue());
        blocking.close();
        neighbour.close();
        assertThat(KafkaBroker.read(topic, 503)).hasSize(503);
    }

    @Test
    void produceAsyncReturnsBeforeASlowListenerOfTheSameProducerFinishes() throws Exception {
        String topic = KafkaBroker.newTopic("slow-listener");
        Producer producer = Producer.create(fdConfig(new Poller()).name("slow-listener").build());
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listenerFinished = new AtomicBoolean();
        producer.monitor().subscribe(Event.MessageAcknowledged.class, event -> {
            if (inListener.getCount() > 0) {
                inListener.countDown();
                try {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                listenerFinished.set(true);
            }
        });
        producer.produceAsync(Message.of(topic, "slow"));
        assertThat(inListener.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        DeliveryHandle next = producer.produceAsync(Message.of(topic, "next"));

        assertThat(listenerFinished).as("produceAsync returned before the slow listener finished").isFalse();
        assertThat(next).isNotDone();
        release.countDown();
        assertThat(next.await().isDelivered()).isTrue();
        producer.close();
        assertThat(KafkaBroker.read(topic, 2)).hasSize(2);
    }
}
