package io.waterdrop.benchmark;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.Message;
import io.waterdrop.Poller;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.ProducerState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The idle scenario: P fd producers on one Poller with {@code idle-disconnect-timeout} = 3 x {@code --idle-seconds}
 * (W). Each sends one message, then the process is measured over W seconds in three phases: connected and idle
 * (before the timeout), every producer disconnected (after it), and connected again after each sent one more
 * message. Per phase: OS threads ({@code /proc/self/task}, librdkafka's {@code rdk:*} among them), sockets
 * ({@code /proc/self/fd} links to {@code socket:}), pipes, and process CPU per second.
 */
final class IdleDisconnectRunner {

    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DISCONNECT_WAIT = Duration.ofMinutes(5);

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> kafka;
    private final int producerCount;
    private final Duration window;
    private final PrintStream progress;

    IdleDisconnectRunner(String bootstrapServers, String topic, Map<String, String> kafka, int producerCount,
            Duration window, PrintStream progress) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.kafka = kafka;
        this.producerCount = producerCount;
        this.window = window.isZero() ? Duration.ofSeconds(5) : window;
        this.progress = progress;
    }

    /** One reading of the process. */
    record Resources(int osThreads, int librdkafkaThreads, int sockets, int pipes) {

        static Resources now() {
            int threads = 0;
            int rdk = 0;
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    threads++;
                    try {
                        rdk += Files.readString(task.resolve("comm")).startsWith("rdk:") ? 1 : 0;
                    } catch (IOException ended) {
                        // The thread ended while we listed.
                    }
                }
            } catch (IOException e) {
                return new Resources(-1, -1, -1, -1);
            }
            int sockets = 0;
            int pipes = 0;
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        String link = Files.readSymbolicLink(fd).toString();
                        sockets += link.startsWith("socket:") ? 1 : 0;
                        pipes += link.startsWith("pipe:") ? 1 : 0;
                    } catch (IOException closed) {
                        // Closed while we listed (the listing's own fd, among others).
                    }
                }
            } catch (IOException e) {
                return new Resources(threads, rdk, -1, -1);
            }
            return new Resources(threads, rdk, sockets, pipes);
        }
    }

    /** One measured phase: resources at its end, process CPU over the window. */
    record Phase(String name, Resources resources, double cpuMillisPerSecond, String note) {

        Phase withNote(String text) {
            return new Phase(name, resources, cpuMillisPerSecond, text);
        }
    }

    void run(PrintStream out) throws Exception {
        Duration timeout = window.multipliedBy(3);
        ProcessMetrics.awaitSettledThreads(Duration.ofSeconds(1), Duration.ofSeconds(10));
        List<Phase> phases = new ArrayList<>();
        phases.add(new Phase("before any producer", Resources.now(), Double.NaN, ""));
        Poller poller = new Poller();
        List<Producer> producers = new ArrayList<>();
        for (int i = 0; i < producerCount; i++) {
            producers.add(new Producer(ProducerConfig.builder().name("bench-idle-" + i)
                    .bootstrapServers(bootstrapServers).kafka(kafka).pollingMode(PollingMode.FD).poller(poller)
                    .idleDisconnectTimeout(timeout).build()));
        }
        ExecutorService senders = Executors.newFixedThreadPool(Scenario.MANY_APPLICATION_THREADS);
        try {
            long t0 = System.nanoTime();
            sendOneEach(producers, senders);
            progress.printf(Locale.ROOT, "%d producers connected and sent one message each in %.1f s%n",
                    producerCount, (System.nanoTime() - t0) / 1e9);
            sendOneEach(producers, senders); // idle time counts from here: the window ends well before the timeout
            long lastSent = System.nanoTime();
            phases.add(measure("connected, idle (before the timeout)", producers, ProducerState.CONNECTED));

            awaitAll(producers, ProducerState.DISCONNECTED);
            String disconnected = String.format(Locale.ROOT, "all disconnected %.1f s after their last message",
                    (System.nanoTime() - lastSent) / 1e9);
            progress.println(disconnected);
            ProcessMetrics.awaitSettledThreads(Duration.ofSeconds(1), Duration.ofSeconds(10));
            phases.add(measure("all disconnected (after the timeout)", producers, ProducerState.DISCONNECTED)
                    .withNote(disconnected));

            long r0 = System.nanoTime();
            sendOneEach(producers, senders);
            String reconnected = String.format(Locale.ROOT, "reconnected and sent one message each in %.1f s",
                    (System.nanoTime() - r0) / 1e9);
            progress.println(reconnected);
            phases.add(measure("reconnected, idle again", producers, ProducerState.CONNECTED).withNote(reconnected));
        } finally {
            senders.shutdown();
            producers.forEach(Producer::close);
        }
        report(out, timeout, phases);
    }

    private void sendOneEach(List<Producer> producers, ExecutorService senders) throws Exception {
        List<Future<DeliveryHandle>> sent = new ArrayList<>();
        for (Producer producer : producers) {
            sent.add(senders.submit(() -> producer.produceAsync(Message.of(topic, "idle"))));
        }
        for (Future<DeliveryHandle> handle : sent) {
            handle.get().await(SEND_TIMEOUT);
        }
    }

    /** Leaves the producers alone for the window (the sleep IS the measurement) and reads the process. */
    private Phase measure(String name, List<Producer> producers, ProducerState expected) throws Exception {
        long cpu0 = ProcessMetrics.processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        double cpuPerSecond = (ProcessMetrics.processCpuNanos() - cpu0) / 1e6 / ((System.nanoTime() - t0) / 1e9);
        long inState = producers.stream().filter(p -> p.state() == expected).count();
        if (inState != producers.size()) {
            throw new IllegalStateException(name + ": only " + inState + " of " + producers.size() + " producers "
                    + "were " + expected + " at the end of the window; use fewer producers or a longer "
                    + "--idle-seconds");
        }
        Phase phase = new Phase(name, Resources.now(), cpuPerSecond, "");
        progress.println(phase);
        return phase;
    }

    private static void awaitAll(List<Producer> producers, ProducerState state) throws InterruptedException {
        long deadline = System.nanoTime() + DISCONNECT_WAIT.toNanos();
        while (producers.stream().anyMatch(p -> p.state() != state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("producers were not all " + state + " after " + DISCONNECT_WAIT);
            }
            Thread.sleep(100); // the polling interval of this wait
        }
    }

    private void report(PrintStream out, Duration timeout, List<Phase> phases) {
        out.printf(Locale.ROOT, "%n### Idle disconnect: %d fd producers on one Poller, idle-disconnect-timeout %d s, "
                + "window %d s%n%n", producerCount, timeout.toSeconds(), window.toSeconds());
        out.println("| Phase | OS threads | librdkafka threads | sockets | pipes | process CPU ms/s | note |");
        out.println("|---|---:|---:|---:|---:|---:|---|");
        for (Phase p : phases) {
            Resources r = p.resources();
            out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s |%n", p.name(), r.osThreads(),
                    r.librdkafkaThreads(), r.sockets(), r.pipes(),
                    Double.isNaN(p.cpuMillisPerSecond()) ? "" : String.format(Locale.ROOT, "%.1f",
                            p.cpuMillisPerSecond()), p.note());
        }
    }
}
