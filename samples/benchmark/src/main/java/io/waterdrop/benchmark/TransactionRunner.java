package io.waterdrop.benchmark;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.Message;
import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transaction scenario: one transactional WaterDrop producer runs {@link #TRANSACTIONS} transactions in a row,
 * each sending M messages with {@code produceAsync} and committing; each transaction is timed from
 * {@code transaction()} to its return (the commit included), after one untimed transaction (init and warm-up).
 * The number to read is the median: how long a small transaction takes to commit with librdkafka's default
 * {@code linger.ms} (5 ms), or whatever {@code --kafka linger.ms=...} says.
 */
final class TransactionRunner {

    /** Transactions timed per round and client. */
    static final int TRANSACTIONS = 50;

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> kafka;
    private final byte[] payload;
    private int sequence;

    TransactionRunner(String bootstrapServers, String topic, Map<String, String> kafka, int payloadBytes) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.kafka = kafka;
        this.payload = RoundRunner.payload(payloadBytes);
    }

    RoundResult run(Variant variant, int messages, int round) throws InterruptedException {
        String name = "bench-txn-" + variant.mode() + "-" + ++sequence;
        Map<String, String> settings = new HashMap<>(kafka);
        settings.put("transactional.id", name);
        long[] latencies = new long[TRANSACTIONS];
        long cpu;
        long total = 0;
        try (Producer producer = Producer.create(ProducerConfig.builder().name(name)
                .bootstrapServers(bootstrapServers).kafka(settings).pollingMode(variant.pollingMode()).build())) {
            transaction(producer, messages);
            long cpuBefore = ProcessMetrics.processCpuNanos();
            for (int i = 0; i < TRANSACTIONS; i++) {
                long t0 = System.nanoTime();
                transaction(producer, messages);
                latencies[i] = System.nanoTime() - t0;
                total += latencies[i];
            }
            cpu = ProcessMetrics.processCpuNanos() - cpuBefore;
        }
        if (variant == Variant.WATERDROP_FD) {
            Poller.global().awaitStopped(Duration.ofSeconds(30));
        }
        return new RoundResult(Scenario.TRANSACTION, variant, TRANSACTIONS, messages, payload.length, round, total,
                0, 0, cpu, -1, -1, 0, 0, 0, -1, Idle.NONE, Latency.of(latencies));
    }

    private void transaction(Producer producer, int messages) {
        List<DeliveryHandle> handles = new ArrayList<>(messages);
        producer.transaction(() -> {
            for (int m = 0; m < messages; m++) {
                handles.add(producer.produceAsync(Message.of(topic, payload)));
            }
            return null;
        });
        for (DeliveryHandle handle : handles) {
            if (!handle.isDone()) {
                throw new IllegalStateException("a handle of a committed transaction is not complete");
            }
        }
    }
}
