package io.waterdrop.benchmark;

import io.micrometer.core.instrument.MeterRegistry;
import io.waterdrop.ProducerMeterBinder;
import io.waterdrop.DeliveryHandle;
import io.waterdrop.Message;
import io.waterdrop.Middleware;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A WaterDrop {@link Producer} with librdkafka's defaults plus {@code --kafka}; fd mode uses the global Poller. */
final class WaterDropProducer implements BenchProducer {

    private final Producer producer;

    WaterDropProducer(PollingMode mode, String name, String bootstrapServers, Map<String, String> kafka) {
        this(mode, name, bootstrapServers, kafka, List.of());
    }

    /** @param topics declared up front ({@code ProducerConfig.topics}): connect fetches their metadata */
    WaterDropProducer(PollingMode mode, String name, String bootstrapServers, Map<String, String> kafka,
            List<String> topics) {
        this.producer = new Producer(ProducerConfig.builder()
                .name(name)
                .bootstrapServers(bootstrapServers)
                .kafka(kafka)
                .pollingMode(mode)
                .topics(topics)
                .build());
    }

    /** Binds this producer's Micrometer meters (they leave the registry when it closes). */
    void bindMeters(MeterRegistry registry) {
        new ProducerMeterBinder(producer).bindTo(registry);
    }

    /** Appends {@code count} middlewares that return the message as given: what the chain itself costs. */
    void addNoOpMiddleware(int count) {
        for (int i = 0; i < count; i++) {
            producer.middleware().append(Middleware.named("no-op-" + i, message -> message));
        }
    }

    @Override
    public void connect() {
        producer.connect();
    }

    @Override
    public void send(String topic, byte[] payload, Acknowledgement ack) {
        producer.produceAsync(Message.of(topic, payload)).whenComplete(ack);
    }

    @Override
    public void sendMany(String topic, byte[] payload, int count, Acknowledgement ack) {
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(Message.of(topic, payload));
        }
        for (DeliveryHandle handle : producer.produceManyAsync(messages)) {
            handle.whenComplete(ack);
        }
    }

    @Override
    public void sendSync(String topic, byte[] payload, Duration timeout) {
        producer.produceAsync(Message.of(topic, payload)).await(timeout);
    }

    @Override
    public void close() {
        producer.close();
    }
}
