package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code close()} racing {@code produceAsync} from 16 threads, 100 times per polling mode: no crash, no hang, every
 * call either returns a handle or throws {@link ProducerClosedException}, and every handle returned completes
 * (delivered, or failed with a typed error if close had to purge it).
 */
class CloseRaceTest {

    private static final int ITERATIONS = Integer.getInteger("waterdrop.test.closerace.iterations", 100);
    private static final int THREADS = 16;
    private static final int BURST = 200;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void closeRacingProduceCompletesEveryHandleAndRefusesWithProducerClosed(PollingMode mode) throws Exception {
        String topic = KafkaBroker.newTopic("close-race", 4);
        long delivered = 0;
        long failed = 0;
        long started = System.nanoTime();
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            Producer producer = Producer.create(CoreFixtures.brokerConfig("close-race", mode)
                    .kafka("linger.ms", "2")
                    .closeTimeout(Duration.ofSeconds(10))
                    .build());
            CountDownLatch eachSentOne = new CountDownLatch(THREADS);
            List<Future<List<DeliveryHandle>>> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                senders.add(pool.submit(() -> produceUntilClosed(producer, topic, thread, eachSentOne)));
            }
            assertThat(eachSentOne.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            producer.close();
            assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
            for (Future<List<DeliveryHandle>> sender : senders) {
                for (DeliveryHandle handle : sender.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    try {
                        handle.await(PATIENCE);
                        delivered++;
                    } catch (ProduceException | ProducerClosedException e) {
                        failed++;
                    }
                }
            }
            assertThat(producer.pendingDeliveries()).isZero();
            assertThatThrownBy(() -> producer.produceAsync(Message.of(topic, "late")))
                    .isInstanceOf(ProducerClosedException.class);
        }
        System.out.printf("close-race/%s: %d iterations x %d threads in %d ms; %d delivered, %d failed by close%n",
                mode, ITERATIONS, THREADS, (System.nanoTime() - started) / 1_000_000, delivered, failed);
        assertThat(delivered).isPositive();
    }

    /**
     * Sends until the producer says it is closed; any other exception fails the test through the future. After a
     * first burst it sends one message per millisecond, so the race stays open without queueing millions.
     */
    private static List<DeliveryHandle> produceUntilClosed(Producer producer, String topic, int thread,
            CountDownLatch sentOne) {
        List<DeliveryHandle> handles = new ArrayList<>();
        try {
            for (int i = 0; ; i++) {
                handles.add(producer.produceAsync(Message.of(topic, thread + "-" + i)));
                if (i == 0) {
                    sentOne.countDown();
                }
                if (i >= BURST) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        } catch (ProducerClosedException expected) {
            return handles;
        }
    }
}
