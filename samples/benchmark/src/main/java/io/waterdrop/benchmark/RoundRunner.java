package io.waterdrop.benchmark;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Poller;
import io.waterdrop.PollerStats;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.ProducerMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Runs one round: P producers, one application thread each, M async messages per producer, waiting for every
 * delivery report.
 *
 * <p>When each value is sampled, and why:
 * <ol>
 *   <li>the application threads are started and parked first, then the baseline is read (once the OS thread count
 *       has settled), so they are not counted as threads the client added;</li>
 *   <li>the producers are created, connected and primed with one acknowledged message each, so the broker
 *       connection and topic metadata exist and the timed part measures producing, not connecting; the thread
 *       counts are read now (while the producers live) and again after producing, keeping the larger;</li>
 *   <li>the clock, CPU time, context switches, Poller counters and broker CPU are read right before the start
 *       signal and right after the last delivery report, and RSS at that end point (still with every producer
 *       alive);</li>
 *   <li>closing is not timed or counted.</li>
 * </ol>
 */
final class RoundRunner {

    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(15);

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> kafka;
    private final byte[] payload;
    private final LongSupplier brokerCpuNanos;
    private final Duration idle;
    private final MeterRegistry meterRegistry;
    private int sequence;

    /**
     * @param brokerCpuNanos CPU time of the broker process so far, or -1 when unknown
     * @param idle how long to leave the producers idle after producing, measuring CPU and context switches
     * @param metrics whether to bind every producer's meters (delivery latency timer included) while it runs
     */
    RoundRunner(String bootstrapServers, String topic, Map<String, String> kafka, int payloadBytes,
            LongSupplier brokerCpuNanos, Duration idle, boolean metrics) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.kafka = kafka;
        this.payload = new byte[payloadBytes];
        ThreadLocalRandom.current().nextBytes(payload);
        this.brokerCpuNanos = brokerCpuNanos;
        this.idle = idle;
        this.meterRegistry = metrics ? new SimpleMeterRegistry() : null;
    }

    RoundResult run(PollingMode mode, int producerCount, int messages, int round) throws InterruptedException {
        int id = ++sequence;
        CountDownLatch started = new CountDownLatch(producerCount);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(producerCount);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicLong failedDeliveries = new AtomicLong();
        List<Producer> producers = new ArrayList<>(producerCount);
        List<Thread> threads = new ArrayList<>(producerCount);
        for (int i = 0; i < producerCount; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    go.await(); // also publishes the producer list
                    if (!aborted.get()) {
                        produceAndAwait(producers.get(index), messages, failedDeliveries);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "bench-app-" + index);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        boolean released = false;
        try {
            await(started, "application threads to start", failure);
            ProcessMetrics.awaitSettledThreads(Duration.ofMillis(300), Duration.ofSeconds(5));
            ProcessMetrics.Sample before = ProcessMetrics.sample();

            for (int i = 0; i < producerCount; i++) {
                Producer producer = new Producer(ProducerConfig.builder()
                        .name("bench-" + mode + "-" + id + "-" + i)
                        .bootstrapServers(bootstrapServers)
                        .kafka(kafka)
                        .pollingMode(mode)
                        .build());
                producers.add(producer);
                if (meterRegistry != null) {
                    // The binder removes its meters when the producer closes.
                    new ProducerMeterBinder(producer).bindTo(meterRegistry);
                }
                producer.connect();
            }
            prime(producers);
            ProcessMetrics.Sample live = ProcessMetrics.sample();

            PollerStats pollerBefore = Poller.global().stats();
            long brokerBefore = brokerCpuNanos.getAsLong();
            long switchesBefore = ProcessMetrics.contextSwitches();
            ProcessMetrics.Sample start = ProcessMetrics.sample();
            long t0 = System.nanoTime();
            released = true;
            go.countDown();
            await(done, "every delivery report", failure, DELIVERY_TIMEOUT);
            long elapsed = System.nanoTime() - t0;
            ProcessMetrics.Sample end = ProcessMetrics.sample();
            long switchesAfter = ProcessMetrics.contextSwitches();
            long brokerAfter = brokerCpuNanos.getAsLong();
            PollerStats pollerAfter = Poller.global().stats();
            if (failure.get() != null) {
                throw new IllegalStateException("A producer thread failed in " + mode + " mode with " + producerCount
                        + " producers", failure.get());
            }

            int jvmThreads = Math.max(live.jvmThreads(), end.jvmThreads()) - before.jvmThreads();
            int osThreads = before.osThreads() < 0 ? -1
                    : Math.max(live.osThreads(), end.osThreads()) - before.osThreads();
            long rss = before.rssBytes() < 0 ? -1 : end.rssBytes() - before.rssBytes();
            long brokerCpu = brokerBefore < 0 || brokerAfter < 0 ? -1 : brokerAfter - brokerBefore;
            long switches = switchesBefore < 0 || switchesAfter < 0 ? -1 : switchesAfter - switchesBefore;
            long[] idleCost = measureIdle();
            return new RoundResult(mode, producerCount, messages, payload.length, round, elapsed, jvmThreads,
                    osThreads, end.cpuNanos() - start.cpuNanos(), rss, brokerCpu,
                    pollerAfter.loopIterations() - pollerBefore.loopIterations(),
                    pollerAfter.budgetExhaustions() - pollerBefore.budgetExhaustions(), failedDeliveries.get(),
                    switches, idleCost[0], idleCost[1], idleCost[2]);
        } finally {
            if (!released) {
                aborted.set(true); // setup failed: the threads must end without producing
                go.countDown();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            closeAll(producers);
            if (mode == PollingMode.FD) {
                // The next round must start from the same state: no Poller thread.
                Poller.global().awaitStopped(Duration.ofSeconds(30));
            }
        }
    }

    /**
     * Leaves the connected producers alone for {@link #idle} (the sleep IS the measurement) and returns
     * {elapsed, CPU, context switches}: what polling costs when there is nothing to poll.
     */
    private long[] measureIdle() throws InterruptedException {
        if (idle.isZero()) {
            return new long[] {0, 0, -1};
        }
        long switches = ProcessMetrics.contextSwitches();
        long cpu = ProcessMetrics.processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(idle.toMillis());
        long elapsed = System.nanoTime() - t0;
        long cpuUsed = ProcessMetrics.processCpuNanos() - cpu;
        long switchesAfter = ProcessMetrics.contextSwitches();
        return new long[] {elapsed, cpuUsed, switches < 0 || switchesAfter < 0 ? -1 : switchesAfter - switches};
    }

    /** The timed work of one application thread. */
    private void produceAndAwait(Producer producer, int messages, AtomicLong failedDeliveries)
            throws InterruptedException {
        CountDownLatch acknowledged = new CountDownLatch(messages);
        // One listener for all messages, and no handle kept: a million-message run holds only what is in flight.
        BiConsumer<DeliveryReport, Throwable> onReport = (report, error) -> {
            if (error != null) {
                failedDeliveries.incrementAndGet();
            }
            acknowledged.countDown();
        };
        for (int i = 0; i < messages; i++) {
            producer.produceAsync(Message.of(topic, payload)).whenComplete(onReport);
        }
        if (!acknowledged.await(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(acknowledged.getCount() + " of " + messages
                    + " delivery reports missing after " + DELIVERY_TIMEOUT);
        }
    }

    /** One acknowledged message per producer: connection and metadata ready before the clock starts. */
    private void prime(List<Producer> producers) {
        List<io.waterdrop.DeliveryHandle> handles = new ArrayList<>(producers.size());
        for (Producer producer : producers) {
            handles.add(producer.produceAsync(Message.of(topic, payload)));
        }
        for (io.waterdrop.DeliveryHandle handle : handles) {
            handle.await(STAGE_TIMEOUT);
        }
    }

    private static void closeAll(List<Producer> producers) throws InterruptedException {
        // In parallel: librdkafka's destroy takes a few ms each, which adds up at P = 100.
        List<Thread> closers = new ArrayList<>();
        for (Producer producer : producers) {
            Thread t = new Thread(producer::close, "bench-close-" + producer.name());
            closers.add(t);
            t.start();
        }
        for (Thread t : closers) {
            t.join();
        }
    }

    private static void await(CountDownLatch latch, String what, AtomicReference<Throwable> failure)
            throws InterruptedException {
        await(latch, what, failure, STAGE_TIMEOUT);
    }

    private static void await(CountDownLatch latch, String what, AtomicReference<Throwable> failure,
            Duration timeout) throws InterruptedException {
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            IllegalStateException e = new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
            if (failure.get() != null) {
                e.addSuppressed(failure.get());
            }
            throw e;
        }
    }
}
