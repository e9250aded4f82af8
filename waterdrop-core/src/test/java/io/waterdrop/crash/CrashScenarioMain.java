package io.waterdrop.crash;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.WaterDropException;

/**
 * Run in a forked JVM by {@link NativeCrashTest}: sends one input that once crashed the JVM inside librdkafka, prints
 * what happened, then proves the producer still delivers a normal message. A crash shows as the child's exit status
 * (134 for SIGABRT, e.g. glibc's "double free", 139 or 134 with an hs_err file for SIGSEGV), never as a test JVM gone.
 *
 * <p>Arguments: scenario, bootstrap servers, topic (already created with one partition).
 */
public final class CrashScenarioMain {

    private CrashScenarioMain() {
    }

    public static void main(String[] args) {
        String scenario = args[0];
        String topic = args[2];
        ProducerConfig.Builder config = ProducerConfig.builder().name("crash-" + scenario).bootstrapServers(args[1]);
        if (scenario.equals("long-client-id")) {
            // confluent-kafka-dotnet#2084 / librdkafka#4689: these lengths crashed librdkafka 2.1.1-2.4.0.
            config.kafka("client.id", "c".repeat(239));
        }
        try (Producer producer = new Producer(config.build())) {
            // Makes the topic's metadata known to librdkafka, so the next produce is partitioned at once.
            producer.produceSync(Message.of(topic, "warm-up"));
            Message input = switch (scenario) {
                case "empty-partition-key" -> Message.builder(topic).partitionKey("").payload("x").build();
                case "headers-to-missing-partition" -> Message.builder(topic).partition(9999)
                        .header("h", "v").payload("x").build();
                case "long-client-id" -> Message.builder(topic).payload("1").build();
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
            try {
                DeliveryReport report = producer.produceSync(input);
                System.out.println("outcome: delivered to partition " + report.partition());
            } catch (WaterDropException e) {
                System.out.println("outcome: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            DeliveryReport after = producer.produceSync(Message.of(topic, "after"));
            System.out.println("after: delivered at offset " + after.offset());
        }
    }
}
