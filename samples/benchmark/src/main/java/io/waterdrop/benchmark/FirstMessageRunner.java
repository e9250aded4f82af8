package io.waterdrop.benchmark;

import io.waterdrop.Poller;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first-message scenario: P fresh producers, one after the other, each timed from its creation and connect to
 * the acknowledgement of its first {@code produceSync}-style send. That time is what a freshly started application
 * waits for its first message: the connection, the topic's metadata, then the produce request.
 *
 * <p>The topic already exists (the benchmark creates it), as it would in production. With {@code --declare-topics on}
 * every WaterDrop producer declares it ({@code ProducerConfig.topics}), so its metadata is fetched at connect.
 */
final class FirstMessageRunner {

    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(1);

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> kafka;
    private final byte[] payload;
    private final PrintStream progress;
    private final boolean declareTopics;
    private int sequence;

    /** @param progress where each fresh producer's time is printed, so a rare slow one can be counted */
    FirstMessageRunner(String bootstrapServers, String topic, Map<String, String> kafka, int payloadBytes,
            boolean declareTopics, PrintStream progress) {
        this.progress = progress;
        this.declareTopics = declareTopics;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.kafka = kafka;
        this.payload = RoundRunner.payload(payloadBytes);
    }

    RoundResult run(Variant variant, int producerCount, int round) throws Exception {
        long[] latencies = new long[producerCount];
        long cpu = 0;
        long total = 0;
        for (int i = 0; i < producerCount; i++) {
            long cpuBefore = ProcessMetrics.processCpuNanos();
            long t0 = System.nanoTime();
            String name = "bench-first-" + variant.client() + "-" + variant.mode() + "-" + ++sequence;
            BenchProducer producer = declareTopics && variant.client().equals("waterdrop")
                    ? new WaterDropProducer(variant.pollingMode(), name, bootstrapServers, kafka, List.of(topic))
                    : BenchProducer.create(variant, name, bootstrapServers, kafka);
            try {
                producer.connect();
                producer.sendSync(topic, payload, SEND_TIMEOUT);
                latencies[i] = System.nanoTime() - t0;
                cpu += ProcessMetrics.processCpuNanos() - cpuBefore;
                total += latencies[i];
            } finally {
                producer.close();
            }
            if (variant == Variant.WATERDROP_FD) {
                // Every fresh fd producer starts the Poller, as the first producer of an application does.
                Poller.global().awaitStopped(Duration.ofSeconds(30));
            }
        }
        progress.println(String.format(Locale.ROOT, "  %s, each fresh producer's connect -> first ack ms: %s",
                variant.label(), String.join(" ", Arrays.stream(latencies)
                        .mapToObj(n -> String.format(Locale.ROOT, "%.1f", n / 1e6)).toList())));
        return new RoundResult(Scenario.FIRST_MESSAGE, variant, producerCount, 1, payload.length, round, total, 0,
                0, cpu, -1, -1, 0, 0, 0, -1, Idle.NONE, Latency.of(latencies));
    }
}
