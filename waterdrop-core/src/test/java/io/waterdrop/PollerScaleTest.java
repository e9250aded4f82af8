package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static io.waterdrop.FdTestSupport.openFileDescriptors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.ProcessResources;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 1,000 fd producers on ONE dedicated Poller: one thread serves them all and every producer gets its 100 messages
 * acknowledged; the Poller thread's and the process's idle CPU are printed. Each librdkafka client still has its own native threads and sockets; the test prints what they cost.
 */
class PollerScaleTest {

    private static final int PRODUCERS = Integer.getInteger("waterdrop.test.scale.producers", 1_000);
    private static final int MESSAGES_EACH = 100;
    private static final int PARALLELISM = 4;

    /** Each producer holds ~8 fds (its pipe, librdkafka's wake-up pipes, both ends of its broker socket). */
    private static final int FDS_PER_PRODUCER = 9;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(3);

    @Test
    void thousandProducersOnOnePollerShareOneThread() throws Exception {
        long maxOpenFiles = maxOpenFiles();
        assumeTrue(maxOpenFiles >= (long) PRODUCERS * FDS_PER_PRODUCER + 2_000, () -> "ulimit -n is " + maxOpenFiles
                + ": too low for " + PRODUCERS + " librdkafka producers (~" + FDS_PER_PRODUCER + " fds each); raise"
                + " it or run with -Dwaterdrop.test.scale.producers=<fewer>");
        String topic = KafkaBroker.newTopic("scale", 4);
        Poller poller = new Poller();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
        List<Producer> producers = Collections.synchronizedList(new ArrayList<>());
        int fdsBefore = openFileDescriptors();
        int osThreadsBefore = osThreads();
        long rssBefore = rssKb();
        List<String> pollerThreadsBefore = FdTestSupport.threadsNamed("waterdrop.");
        long started = System.nanoTime();
        try {
            List<Future<List<DeliveryHandle>>> sends = new ArrayList<>();
            for (int i = 0; i < PRODUCERS; i++) {
                String name = "scale-" + i;
                sends.add(pool.submit(() -> {
                    Producer producer = Producer.create(fdConfig(poller).name(name)
                            .maxWaitTimeout(Duration.ofSeconds(120)).build());
                    producers.add(producer);
                    List<Message> messages = new ArrayList<>();
                    for (int m = 0; m < MESSAGES_EACH; m++) {
                        messages.add(Message.of(topic, name + "/" + m));
                    }
                    return producer.produceManyAsync(messages);
                }));
            }
            List<DeliveryHandle> handles = new ArrayList<>();
            for (Future<List<DeliveryHandle>> send : sends) {
                handles.addAll(send.get(120, TimeUnit.SECONDS));
            }
            long created = System.nanoTime();

            assertThat(handles).allSatisfy(handle -> assertThat(handle.await().isDelivered()).isTrue());
            long delivered = System.nanoTime();
            int fds = openFileDescriptors() - fdsBefore;
            int osThreads = osThreads() - osThreadsBefore;
            long rssMb = (rssKb() - rssBefore) / 1024;

            List<String> waterdropThreads = new ArrayList<>(FdTestSupport.threadsNamed("waterdrop."));
            waterdropThreads.removeAll(pollerThreadsBefore);
            assertThat(waterdropThreads).as("JVM threads added by %d fd producers", PRODUCERS)
                    .containsExactly(poller.threadName());
            assertThat(poller.stats().producers()).hasSize(PRODUCERS);
            assertThat(poller.stats().loopErrors()).isZero();
            System.out.printf("scale: %d fd producers on one Poller: created+produced in %d ms, all delivered %d ms"
                    + " later; +%d fds (%.1f each), +%d OS threads (%.1f each, librdkafka's), +%d MB RSS; %s%n",
                    PRODUCERS, (created - started) / 1_000_000, (delivered - created) / 1_000_000, fds,
                    fds / (double) PRODUCERS, osThreads, osThreads / (double) PRODUCERS, rssMb, idleCpu(poller));
        } finally {
            long closing = System.nanoTime();
            List<Future<?>> closes = new ArrayList<>();
            for (Producer producer : new ArrayList<>(producers)) {
                closes.add(pool.submit(() -> producer.close()));
            }
            for (Future<?> close : closes) {
                close.get(120, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            System.out.printf("scale: closed %d producers in %d ms%n", producers.size(),
                    (System.nanoTime() - closing) / 1_000_000);
        }
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
        assertThat(KafkaBroker.read(topic, PRODUCERS * MESSAGES_EACH, Duration.ofSeconds(60), false))
                .extracting(record -> new String(record.value()))
                .as("%d messages from every producer", MESSAGES_EACH).hasSize(PRODUCERS * MESSAGES_EACH)
                .doesNotHaveDuplicates();
    }

    /** The soft limit on open files (Linux: /proc/self/limits). */
    private static long maxOpenFiles() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no open-file limit in /proc/self/limits");
    }

    /** Linux: threads of this process, native ones included. */
    private static int osThreads() {
        return ProcessResources.now().threads();
    }

    private static long rssKb() {
        return ProcessResources.now().rssKb();
    }

    /**
     * CPU used while every producer is connected and nothing is sent, over {@link #IDLE_WINDOW}: the Poller thread's
     * own (poll(2) timeouts and periodic polls) and the whole process's (librdkafka's own threads of 1,000 clients,
     * and the embedded broker that shares this JVM).
     */
    private static String idleCpu(Poller poller) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long pollerThreadId = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(poller.threadName())).findFirst().orElseThrow().getId();
        long pollerBefore = threads.getThreadCpuTime(pollerThreadId);
        Duration processBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        long started = System.nanoTime();
        // Measuring over a fixed window IS the point here; nothing is awaited.
        Thread.sleep(IDLE_WINDOW.toMillis());
        double wall = System.nanoTime() - started;
        double pollerShare = (threads.getThreadCpuTime(pollerThreadId) - pollerBefore) / wall;
        double processShare = (ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)
                .minus(processBefore).toNanos()) / wall;
        return String.format("idle CPU over %d s: Poller thread %.2f%% of a core, whole process %.1f%%",
                IDLE_WINDOW.toSeconds(), pollerShare * 100, processShare * 100);
    }
}
