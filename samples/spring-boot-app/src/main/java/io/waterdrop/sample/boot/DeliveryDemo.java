package io.waterdrop.sample.boot;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.DeliveryReport;
import io.waterdrop.Event;
import io.waterdrop.Message;
import io.waterdrop.PollingInfo;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropProducers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Sends {@code waterdrop.sample.messages} messages with every producer (each to the topic named after it), waits for
 * the delivery reports and prints them with the thread that delivered them: the dedicated Poller of the
 * {@code critical} group, the global Poller, or the producer's own thread.
 */
@Component
class DeliveryDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DeliveryDemo.class);

    private final WaterDropProducers producers;
    private final Producer orders;
    private final int messages;
    private final List<Delivery> deliveries = new ArrayList<>();

    DeliveryDemo(WaterDropProducers producers, @Qualifier("orders") Producer orders,
            @Value("${waterdrop.sample.messages:5}") int messages) {
        this.producers = producers;
        this.orders = orders;
        this.messages = messages;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Producer producer : this.producers) {
            PollingInfo polling = producer.pollingInfo();
            log.info("Producer {} polls in {} mode on {}", producer.name(), polling.mode(), polling.threadName());
        }
        Map<Message, String> deliveryThreads = new ConcurrentHashMap<>();
        this.producers.forEach((producer) -> producer.monitor().subscribe(Event.MessageAcknowledged.class,
                (event) -> deliveryThreads.put(event.message(), Thread.currentThread().getName())));

        List<DeliveryHandle> handles = new ArrayList<>();
        for (Producer producer : this.producers) {
            for (int i = 0; i < this.messages; i++) {
                Message message = Message.builder(producer.name()).key(producer.name() + "-" + i)
                    .payload("message " + i + " from producer " + producer.name()).build();
                handles.add(producer.produceAsync(message));
            }
        }
        for (DeliveryHandle handle : handles) {
            DeliveryReport report = handle.await();
            String thread = deliveryThreads.getOrDefault(handle.message(), "?");
            this.deliveries.add(new Delivery(handle.message().topic(), report, thread));
            log.info("Delivered to {}-{} at offset {}, reported on {}", report.topic(), report.partition(),
                    report.offset(), thread);
        }
        // The primary producer ("orders") is also injectable by name; a synchronous send for good measure.
        DeliveryReport sync = this.orders.produceSync(Message.of("orders", "one more, sent synchronously"));
        log.info("Synchronous send by {} delivered to {}-{} at offset {}", this.orders.name(), sync.topic(),
                sync.partition(), sync.offset());
        log.info("{} messages delivered by {} producers", handles.size() + 1, this.producers.size());
    }

    /** What was delivered, for the sample's test. */
    List<Delivery> deliveries() {
        return List.copyOf(this.deliveries);
    }

    record Delivery(String topic, DeliveryReport report, String thread) {
    }
}
