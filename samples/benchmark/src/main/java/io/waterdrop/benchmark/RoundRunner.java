package io.waterdrop.benchmark;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.waterdrop.Poller;
import io.waterdrop.PollerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs one round of a JVM client: P producers driven by the scenario's application threads (one per producer, or
 * {@link Scenario#MANY_APPLICATION_THREADS} for the many scenario), M async messages per producer, waiting for
 * every acknowledgement. In the latency scenario every producer sends at {@code rate / P} messages per second and
 * each message's time from its scheduled send to its acknowledgement is recorded (measured from the schedule, not
 * from the actual call, so a stalled sender does not hide its own delay).
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
 *   <li>then, with {@code idle} &gt; 0, the producers stay connected and unused while process CPU, context switches
 *       and the polling threads' CPU are measured;</li>
 *   <li>closing is not timed or counted.</li>
 * </ol>
 */
final class RoundRunner {

    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(15);
    private static final int CLOSING_THREADS = 16;

    private final Scenario scenario;
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> kafka;
    private final byte[] payload;
    private final LongSupplier brokerCpuNanos;
    private final Duration idle;
    private final int rate;
    private final MeterRegistry meterRegistry;
    private final int middleware;
    private final int batch;
    private int sequence;

    /**
     * @param brokerCpuNanos CPU time of the broker process so far, or -1 when unknown
     * @param idle how long to leave the producers idle after producing (zero: not measured)
     * @param rate total messages per second over all producers in the latency scenario
     * @param metrics whether to bind every WaterDrop producer's meters while it runs
     * @param middleware how many no-op middlewares every WaterDrop producer runs
     * @param batch messages per send call in bulk (produceManyAsync for WaterDrop when over 1)
     */
    RoundRunner(Scenario scenario, String bootstrapServers, String topic, Map<String, String> kafka,
            int payloadBytes, LongSupplier brokerCpuNanos, Duration idle, int rate, boolean metrics,
            int middleware, int batch) {
        this.middleware = middleware;
        this.batch = batch;
        this.scenario = scenario;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.kafka = kafka;
        this.payload = payload(payloadBytes);
        this.brokerCpuNanos = brokerCpuNanos;
        this.idle = idle;
        this.rate = rate;
        this.meterRegistry = metrics ? new SimpleMeterRegistry() : null;
    }

    /** Random bytes: no client gets an easier payload. */
    static byte[] payload(int bytes) {
        byte[] payload = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(payload);
        return payload;
    }

    RoundResult run(Variant variant, int producerCount, int messages, int round) throws InterruptedException {
        int id = ++sequence;
        int threadCount = scenario.applicationThreads(producerCount);
        boolean paced = scenario == Scenario.LATENCY;
        long intervalNanos = paced ? Math.max(1, 1_000_000_000L * producerCount / rate) : 0;
        long[][] latencies = paced ? new long[producerCount][messages] : null;

        CountDownLatch started = new CountDownLatch(threadCount);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threadCount);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicLong failedDeliveries = new AtomicLong();
        AtomicLong startNanos = new AtomicLong();
        List<BenchProducer> producers = new ArrayList<>(producerCount);
        List<Thread> threads = new ArrayList<>(threadCount);
        for (int t = 0; t < threadCount; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                started.countDown();
                try {
                    go.await(); // also publishes the producer list
                    if (!aborted.get()) {
                        List<Integer> mine = new ArrayList<>();
                        for (int i = first; i < producerCount; i += threadCount) {
                            mine.add(i);
                        }
                        if (paced) {
                            sendPaced(producers, mine, messages, startNanos.get(), intervalNanos, producerCount,
                                    latencies, failedDeliveries);
                        } else {
                            sendAll(producers, mine, messages, failedDeliveries);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "bench-app-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        boolean released = false;
        try {
            await(started, "application threads to start", failure, STAGE_TIMEOUT);
            ProcessMetrics.awaitSettledThreads(Duration.ofMillis(300), Duration.ofSeconds(5));
            ProcessMetrics.Sample before = ProcessMetrics.sample();

            for (int i = 0; i < producerCount; i++) {
                BenchProducer producer = BenchProducer.create(variant, "bench-" + variant.client() + "-"
                        + variant.mode() + "-" + id + "-" + i, bootstrapServers, kafka);
                producers.add(producer);
                if (meterRegistry != null && producer instanceof WaterDropProducer waterDrop) {
                    waterDrop.bindMeters(meterRegistry);
                }
                if (middleware > 0 && producer instanceof WaterDropProducer waterDrop) {
                    waterDrop.addNoOpMiddleware(middleware);
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
            startNanos.set(t0);
            released = true;
            go.countDown();
            await(done, "every delivery report", failure, DELIVERY_TIMEOUT);
            long elapsed = System.nanoTime() - t0;
            ProcessMetrics.Sample end = ProcessMetrics.sample();
            long switchesAfter = ProcessMetrics.contextSwitches();
            long brokerAfter = brokerCpuNanos.getAsLong();
            PollerStats pollerAfter = Poller.global().stats();
            if (failure.get() != null) {
                throw new IllegalStateException("An application thread failed with " + variant + " and "
                        + producerCount + " producers", failure.get());
            }

            int jvmThreads = Math.max(live.jvmThreads(), end.jvmThreads()) - before.jvmThreads();
            int osThreads = before.osThreads() < 0 ? -1
                    : Math.max(live.osThreads(), end.osThreads()) - before.osThreads();
            long rss = before.rssBytes() < 0 ? -1 : end.rssBytes() - before.rssBytes();
            long brokerCpu = brokerBefore < 0 || brokerAfter < 0 ? -1 : brokerAfter - brokerBefore;
            long switches = switchesBefore < 0 || switchesAfter < 0 ? -1 : switchesAfter - switchesBefore;
            boolean fd = variant == Variant.WATERDROP_FD;
            Idle idleCost = measureIdle(variant);
            return new RoundResult(scenario, variant, producerCount, messages, payload.length, round, elapsed,
                    jvmThreads, osThreads, end.cpuNanos() - start.cpuNanos(), rss, brokerCpu,
                    fd ? pollerAfter.loopIterations() - pollerBefore.loopIterations() : 0,
                    fd ? pollerAfter.budgetExhaustions() - pollerBefore.budgetExhaustions() : 0,
                    failedDeliveries.get(), switches, idleCost, paced ? Latency.of(flatten(latencies)) : Latency.NONE);
        } finally {
            if (!released) {
                aborted.set(true); // setup failed: the threads must end without producing
                go.countDown();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            closeAll(producers);
            if (variant == Variant.WATERDROP_FD) {
                // The next round must start from the same state: no Poller thread.
                Poller.global().awaitStopped(Duration.ofSeconds(30));
            }
        }
    }

    /**
     * Leaves the connected producers alone for {@link #idle} (the sleep IS the measurement) and measures what
     * staying connected costs: the whole process, and the client's polling threads.
     */
    private Idle measureIdle(Variant variant) throws InterruptedException {
        if (idle.isZero()) {
            return Idle.NONE;
        }
        long switches = ProcessMetrics.contextSwitches();
        long cpu = ProcessMetrics.processCpuNanos();
        long polling = ProcessMetrics.threadsCpuNanos(variant.pollingThreadPrefix());
        long t0 = System.nanoTime();
        Thread.sleep(idle.toMillis());
        long elapsed = System.nanoTime() - t0;
        long cpuUsed = ProcessMetrics.processCpuNanos() - cpu;
        long pollingAfter = ProcessMetrics.threadsCpuNanos(variant.pollingThreadPrefix());
        long switchesAfter = ProcessMetrics.contextSwitches();
        return new Idle(elapsed, cpuUsed, switches < 0 || switchesAfter < 0 ? -1 : switchesAfter - switches,
                polling < 0 || pollingAfter < 0 ? -1 : pollingAfter - polling);
    }

    /** The timed work of one application thread: M messages to each of its producers, in turn, as fast as it can. */
    private void sendAll(List<BenchProducer> producers, List<Integer> mine, int messages, AtomicLong failed)
            throws InterruptedException {
        CountDownLatch acknowledged = new CountDownLatch(messages * mine.size());
        // One acknowledgement for all messages, and no handle kept: a million-message run holds only what is in
        // flight.
        Acknowledgement ack = Acknowledgement.counting(acknowledged, failed);
        for (int m = 0; m < messages; m += batch) {
            int count = Math.min(batch, messages - m);
            for (int i : mine) {
                if (count == 1) {
                    producers.get(i).send(topic, payload, ack);
                } else {
                    producers.get(i).sendMany(topic, payload, count, ack);
                }
            }
        }
        awaitAcknowledged(acknowledged);
    }

    /**
     * The timed work of one application thread in the latency scenario: message m of producer i is due at
     * {@code start + i * interval / P + m * interval}; its latency runs from that moment to its acknowledgement.
     */
    private void sendPaced(List<BenchProducer> producers, List<Integer> mine, int messages, long start,
            long interval, int producerCount, long[][] latencies, AtomicLong failed) throws InterruptedException {
        CountDownLatch acknowledged = new CountDownLatch(messages * mine.size());
        for (int m = 0; m < messages; m++) {
            for (int i : mine) {
                long due = start + i * interval / producerCount + m * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait); // pacing: the wait is the schedule, not a condition
                }
                long[] samples = latencies[i];
                int index = m;
                producers.get(i).send(topic, payload, new Acknowledgement() {
                    @Override
                    void done(boolean delivered) {
                        samples[index] = System.nanoTime() - due;
                        if (!delivered) {
                            failed.incrementAndGet();
                        }
                        acknowledged.countDown(); // publishes samples[index] to the thread that awaits
                    }
                });
            }
        }
        awaitAcknowledged(acknowledged);
    }

    private static void awaitAcknowledged(CountDownLatch acknowledged) throws InterruptedException {
        if (!acknowledged.await(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(acknowledged.getCount() + " delivery reports missing after "
                    + DELIVERY_TIMEOUT);
        }
    }

    private static long[] flatten(long[][] perProducer) {
        return java.util.Arrays.stream(perProducer).flatMapToLong(java.util.Arrays::stream).toArray();
    }

    /** One acknowledged message per producer: connection and metadata ready before the clock starts. */
    private void prime(List<BenchProducer> producers) throws InterruptedException {
        CountDownLatch primed = new CountDownLatch(producers.size());
        AtomicLong failed = new AtomicLong();
        Acknowledgement ack = Acknowledgement.counting(primed, failed);
        for (BenchProducer producer : producers) {
            producer.send(topic, payload, ack);
        }
        if (!primed.await(STAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || failed.get() > 0) {
            throw new IllegalStateException("Priming failed: " + primed.getCount() + " of " + producers.size()
                    + " first messages unacknowledged after " + STAGE_TIMEOUT + ", " + failed.get() + " failed");
        }
    }

    /** Closes in parallel: librdkafka's destroy takes a few ms each, which adds up at P = 1,000. */
    static void closeAll(List<? extends AutoCloseable> producers) throws InterruptedException {
        ExecutorService closers = Executors.newFixedThreadPool(Math.max(1, Math.min(CLOSING_THREADS,
                producers.size())), r -> new Thread(r, "bench-close"));
        try {
            List<Future<?>> closing = new ArrayList<>();
            for (AutoCloseable producer : producers) {
                closing.add(closers.submit(() -> {
                    producer.close();
                    return null;
                }));
            }
            for (Future<?> f : closing) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    System.err.println("closing a producer failed: " + e.getCause());
                }
            }
        } finally {
            closers.shutdown();
        }
    }

    static void await(CountDownLatch latch, String what, AtomicReference<Throwable> failure, Duration timeout)
            throws InterruptedException {
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            IllegalStateException e = new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
            if (failure.get() != null) {
                e.addSuppressed(failure.get());
            }
            throw e;
        }
    }
}
