package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.ProcessResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 1,000 create/produce/close cycles (both polling modes, four at a time) leave nothing behind: open file descriptors
 * (pipes, sockets) and OS threads return to their baseline, and resident memory stays within a stated bound.
 */
class CreateCloseLeakTest {

    private static final int CYCLES = Integer.getInteger("waterdrop.test.leak.cycles", 1_000);
    private static final int PARALLELISM = 4;
    /** Fds other parts of the JVM may open meanwhile (class loading, the broker's own log segments). */
    private static final int FD_SLACK = 20;
    /** Threads the JVM may start meanwhile (JIT compilers, the shared broker's pools). */
    private static final int THREAD_SLACK = 10;
    /** Allocator fragmentation and JIT code: 1,000 cycles that each leaked even 64 KB would pass this only barely. */
    private static final long RSS_SLACK_MB = 96;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void thousandCreateCloseCyclesReturnFdsThreadsAndMemoryToBaseline() throws Exception {
        String topic = KafkaBroker.newTopic("leak");
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
        try {
            runCycles(pool, topic, 40); // warm-up: classes loaded, JIT compiled, broker connections pooled
            ProcessResources baseline = ProcessResources.now();
            long started = System.nanoTime();
            runCycles(pool, topic, CYCLES);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            await().atMost(PATIENCE).untilAsserted(() -> {
                ProcessResources after = ProcessResources.now();
                assertThat(after.openFds()).as("open fds after %d cycles (baseline %d)", CYCLES, baseline.openFds())
                        .isLessThanOrEqualTo(baseline.openFds() + FD_SLACK);
                assertThat(after.threads()).as("OS threads after %d cycles (baseline %d)", CYCLES, baseline.threads())
                        .isLessThanOrEqualTo(baseline.threads() + THREAD_SLACK);
            });
            ProcessResources after = ProcessResources.now();
            System.out.printf("leak: %d create/produce/close cycles in %d ms; fds %d -> %d, OS threads %d -> %d,"
                    + " RSS %d -> %d MB%n", CYCLES, elapsedMs, baseline.openFds(), after.openFds(),
                    baseline.threads(), after.threads(), baseline.rssKb() / 1024, after.rssKb() / 1024);
            assertThat(after.rssKb() / 1024).as("RSS in MB after %d cycles", CYCLES)
                    .isLessThanOrEqualTo(baseline.rssKb() / 1024 + RSS_SLACK_MB);
            assertThat(FdTestSupport.pollingThreads()).as("polling threads left").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void runCycles(ExecutorService pool, String topic, int cycles) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            PollingMode mode = i % 2 == 0 ? PollingMode.FD : PollingMode.THREAD;
            futures.add(pool.submit(() -> {
                try (Producer producer = Producer.create(CoreFixtures.brokerConfig("leak", mode).build())) {
                    assertThat(producer.produceSync(Message.of(topic, "cycle")).isDelivered()).isTrue();
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
