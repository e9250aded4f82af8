package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.internal.polling.PollingStrategy;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Nothing leaks when connecting or producing fails half-way (issue 7, defect 8): an Error from starting the polling
 * leaves no librdkafka handle behind (and later sends do not leak one each), and a produce that throws leaves no
 * pending delivery behind.
 */
class ConnectFailureLeakTest {

    /** A polling strategy whose start fails like Thread.start() does when the OS refuses a thread. */
    private static final Function<PolledClient, PollingStrategy> THREAD_START_FAILS = client -> new PollingStrategy() {
        @Override
        public void start() {
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource "
                    + "limits reached");
        }

        @Override
        public boolean stop(Duration timeout) {
            return true;
        }

        @Override
        public boolean isPollingThread() {
            return false;
        }

        @Override
        public String describe() {
            return "a polling that cannot start";
        }

        @Override
        public Throwable failure() {
            return null;
        }
    };

    @Test
    void errorWhileStartingThePollingLeaksNoLibrdkafkaHandle() {
        String topic = KafkaBroker.newTopic("connect-error");
        Producer producer = new Producer(brokerConfig("connect-error", PollingMode.THREAD).build(), THREAD_START_FAILS);
        int before = NativeProducer.openHandles();
        try {
            assertThatThrownBy(producer::connect).isInstanceOf(OutOfMemoryError.class)
                    .hasMessageContaining("unable to create native thread");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> producer.produceAsync(Message.of(topic, "never sent")))
                        .isInstanceOf(OutOfMemoryError.class);
            }
            // Producers of earlier tests may still be closing (closeAsync) and lower the count; it must never grow.
            assertThat(NativeProducer.openHandles()).isLessThanOrEqualTo(before);
            assertThat(producer.state()).isEqualTo(ProducerState.INITIAL);
            assertThat(producer.pendingDeliveries()).isZero();
        } finally {
            assertThat(producer.close(Duration.ofSeconds(1))).isZero();
        }
    }

    @Test
    void produceInterruptedWhileTheQueueIsFullLeavesNothingPending() {
        try (Producer producer = new Producer(unreachableConfig("interrupted-produce", PollingMode.FD)
                .kafka("queue.buffering.max.messages", "1")
                .queueFullTimeout(Duration.ofSeconds(30)).build())) {
            DeliveryHandle queued = producer.produceAsync(Message.of("interrupted", "fills the queue"));
            assertThat(producer.pendingDeliveries()).isEqualTo(1);

            Thread.currentThread().interrupt(); // the back-off wait sees it at once
            try {
                assertThatThrownBy(() -> producer.produceAsync(Message.of("interrupted", "waits for space")))
                        .isInstanceOf(WaterDropException.class).hasMessageContaining("Interrupted");
            } finally {
                Thread.interrupted();
            }
            assertThat(producer.pendingDeliveries()).isEqualTo(1);
            // close reports exactly the one message librdkafka had: the refused one was never counted.
            assertThat(producer.forceClose()).isEqualTo(1);
            assertThat(queued.isDone()).isTrue();
        }
    }
}
