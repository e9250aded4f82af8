package io.waterdrop.samples.quickstart;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts a real Kafka broker in this JVM, produces a few messages with two fd-mode producers sharing one Poller
 * thread, and prints every delivery report.
 *
 * <p>Pass {@code --bootstrap-servers host:port} to use an existing broker instead.
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length == 2 && args[0].equals("--bootstrap-servers") ? args[1] : null;
        EmbeddedKafkaKraftBroker broker = null;
        if (bootstrap == null) {
            System.out.println("Starting an embedded Kafka broker (KRaft) ...");
            broker = new EmbeddedKafkaKraftBroker(1, 1, "orders", "audit");
            broker.afterPropertiesSet();
            bootstrap = broker.getBrokersAsString();
        }
        System.out.println("librdkafka " + Producer.librdkafkaVersion() + ", broker " + bootstrap);
        try (Producer orders = Producer.create(config("orders", bootstrap, Duration.ofMillis(200)));
                Producer audit = Producer.create(config("audit", bootstrap, Duration.ofMillis(20)))) {

            DeliveryReport first = orders.produceSync(Message.builder("orders").key("order-1")
                    .payload("{\"id\":1}").header("source", "quickstart").build());
            System.out.println("sync   " + describe("orders", first));

            Set<String> callbackThreads = ConcurrentHashMap.newKeySet();
            List<DeliveryHandle> handles = new ArrayList<>();
            for (int i = 2; i <= 5; i++) {
                handles.add(orders.produceAsync(Message.builder("orders").key("order-" + i)
                        .payload("{\"id\":" + i + "}").build()));
                handles.add(audit.produceAsync(Message.of("audit", "order " + i + " created")));
            }
            // Delivery handles complete on the thread that served librdkafka's queue.
            handles.forEach(h -> h.thenRun(() -> callbackThreads.add(Thread.currentThread().getName())));
            for (DeliveryHandle handle : handles) {
                System.out.println("async  " + describe(handle.message().topic(), handle.await()));
            }
            System.out.println("Delivery reports of both producers arrived on " + callbackThreads
                    + "; global Poller thread " + Poller.global().threadName() + " alive=" + Poller.global().isAlive());
        } finally {
            if (broker != null) {
                broker.destroy();
            }
        }
        System.out.println("Done.");
    }

    private static ProducerConfig config(String name, String bootstrap, Duration maxTime) {
        return ProducerConfig.builder()
                .name(name)
                .bootstrapServers(bootstrap)
                .kafka("acks", "all")
                .fdMaxTime(maxTime) // per-turn Poller budget: orders gets 10x the time of audit
                .build();
    }

    private static String describe(String topic, DeliveryReport report) {
        return "delivered to " + topic + "-" + report.partition() + "@" + report.offset();
    }
}
