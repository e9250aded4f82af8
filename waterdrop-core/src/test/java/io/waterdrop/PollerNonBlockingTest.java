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
import java.util.function.Consumer;
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

        BlockOnceListener listener = new BlockOnceListener();
        blocking.monitor().subscribe(Event.MessageAcknowledged.class, listener);

        DeliveryHandle first = blocking.produceAsync(Message.of(topic, "blocks"));
        assertThat(listener.awaitEntered()).isTrue();

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

        assertThat(listener.finished).as("every produceAsync returned while the listener still blocked the Poller")
                .isFalse();
        assertThat(burst).hasSize(500).noneMatch(DeliveryHandle::isDone);
        System.out.printf("non-blocking: slowest of 500 produceAsync calls behind a blocked Poller took %.2f ms%n",
                slowestCallNanos / 1e6);

        listener.release();
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
        BlockOnceListener listener = new BlockOnceListener();
        producer.monitor().subscribe(Event.MessageAcknowledged.class, listener);
        producer.produceAsync(Message.of(topic, "slow"));
        assertThat(listener.awaitEntered()).isTrue();

        DeliveryHandle next = producer.produceAsync(Message.of(topic, "next"));

        assertThat(listener.finished).as("produceAsync returned before the slow listener finished").isFalse();
        assertThat(next.isDone()).isFalse();
        listener.release();
        assertThat(next.await().isDelivered()).isTrue();
        producer.close();
        assertThat(KafkaBroker.read(topic, 2)).hasSize(2);
    }

    /** Blocks the Poller thread in the first acknowledgement until released (bounded by PATIENCE). */
    private static final class BlockOnceListener implements Consumer<Event.MessageAcknowledged> {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean blockOnce = new AtomicBoolean(true);
        final AtomicBoolean finished = new AtomicBoolean();

        @Override
        public void accept(Event.MessageAcknowledged event) {
            if (blockOnce.compareAndSet(true, false)) {
                entered.countDown();
                try {
                    released.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.set(true);
            }
        }

        boolean awaitEntered() throws InterruptedException {
            return entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        void release() {
            released.countDown();
        }
    }
}
