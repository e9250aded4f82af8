package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.BrokerProcess;
import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.ProcessResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak (not in CI; {@code ./mvnw -B -pl waterdrop-core test -Preliability}, see docs/reliability.md): two
 * idempotent acks=all producers, one per polling mode, send at a steady rate for {@code waterdrop.soak.duration}
 * (default 10 minutes) while the broker is stopped and started again in the middle. Nothing acknowledged may be
 * missing or duplicated, and resident memory must stay flat after the first minute.
 */
@Tag("soak")
class SoakTest {

    private static final Duration DURATION = Duration.parse(System.getProperty("waterdrop.soak.duration", "PT10M"));
    /** Messages per second per producer. */
    private static final int RATE = Integer.getInteger("waterdrop.soak.rate", 1_000);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(30);
    /** RSS may grow this much after the first minute (heap sizing, allocator arenas) and still count as flat. */
    private static final long RSS_GROWTH_BOUND_MB = 128;
    private static final int PENDING = 0;
    private static final int ACKED = 1;
    private static final int FAILED = 2;
    private static final int REFUSED = 3;

    @Test
    void steadyStreamThroughABrokerRestartLosesNothingAndKeepsMemoryFlat() throws Exception {
        int perProducer = (int) (DURATION.toSeconds() * RATE);
        List<PollingMode> modes = List.of(PollingMode.FD, PollingMode.THREAD);
        AtomicIntegerArray outcome = new AtomicIntegerArray(perProducer * modes.size());
        List<String> rssSamples = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start()) {
            String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "soak", 3);
            List<Producer> producers = new ArrayList<>();
            for (PollingMode mode : modes) {
                producers.add(Producer.create(ProducerConfig.builder()
                        .name(CoreFixtures.uniqueName("soak-" + mode.name().toLowerCase()))
                        .bootstrapServers(broker.bootstrapServers())
                        .pollingMode(mode)
                        .maxWaitTimeout(Duration.ofMinutes(5))
                        .kafka("acks", "all")
                        .kafka("enable.idempotence", "true")
                        .kafka("message.timeout.ms", "300000")
                        .kafka("linger.ms", "5")
                        .kafka("log.connection.close", "false")
                        .build()));
            }
            long start = System.nanoTime();
            long nextSample = start;
            long baselineRssKb = -1;
            long maxRssKb = 0;
            CompletableFuture<Void> restart = null;
            for (int i = 0; i < perProducer; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long early = due - System.nanoTime();
                if (early > 1_000_000) {
                    TimeUnit.NANOSECONDS.sleep(early); // the steady rate IS the scenario
                }
                if (i == perProducer / 2) {
                    restart = CompletableFuture.runAsync(() -> {
                        broker.stop();
                        broker.restart();
                    });
                }
                for (int p = 0; p < producers.size(); p++) {
                    int id = p * perProducer + i;
                    try {
                        producers.get(p).produceAsync(Message.of(topic, Integer.toString(id)))
                                .whenComplete((report, error) -> outcome.set(id, error == null ? ACKED : FAILED));
                    } catch (QueueFullException e) {
                        outcome.set(id, REFUSED);
                    }
                }
                if (System.nanoTime() >= nextSample) {
                    long rss = ProcessResources.now().rssKb();
                    long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    rssSamples.add(elapsed + "s:" + rss / 1024 + "MB");
                    if (elapsed >= 60 && baselineRssKb < 0) {
                        baselineRssKb = rss;
                    }
                    if (baselineRssKb >= 0) {
                        maxRssKb = Math.max(maxRssKb, rss);
                    }
                    nextSample += SAMPLE_EVERY.toNanos();
                }
            }
            restart.get(5, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(5)).until(() -> count(outcome, PENDING) == 0);
            producers.forEach(Producer::close);

            long acked = count(outcome, ACKED);
            List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(broker.bootstrapServers(), topic,
                    (int) acked, Duration.ofMinutes(5), false);
            int[] copies = new int[outcome.length()];
            records.forEach(record -> copies[Integer.parseInt(new String(record.value()))]++);
            long missing = 0;
            long duplicated = 0;
            for (int id = 0; id < copies.length; id++) {
                if (outcome.get(id) == ACKED && copies[id] == 0) {
                    missing++;
                }
                if (copies[id] > 1) {
                    duplicated++;
                }
            }
            System.out.printf("soak: %s at %d msg/s x %d producers (fd, thread), broker restarted at half time;"
                    + " acknowledged %d, failed %d, QueueFullException %d, acknowledged-but-missing %d,"
                    + " duplicated %d; RSS after 1 min %d MB, max %d MB; samples %s%n", DURATION, RATE,
                    producers.size(), acked, count(outcome, FAILED), count(outcome, REFUSED), missing, duplicated,
                    baselineRssKb / 1024, maxRssKb / 1024, rssSamples);
            assertThat(missing).as("acknowledged but missing").isZero();
            assertThat(duplicated).as("written more than once").isZero();
            assertThat(count(outcome, FAILED)).as("failed handles").isZero();
            if (baselineRssKb >= 0) {
                assertThat(maxRssKb / 1024).as("RSS in MB after the first minute")
                        .isLessThanOrEqualTo(baselineRssKb / 1024 + RSS_GROWTH_BOUND_MB);
            }
        }
    }

    private static long count(AtomicIntegerArray outcome, int state) {
        long n = 0;
        for (int i = 0; i < outcome.length(); i++) {
            if (outcome.get(i) == state) {
                n++;
            }
        }
        return n;
    }
}
