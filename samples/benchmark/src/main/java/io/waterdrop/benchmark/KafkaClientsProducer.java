package io.waterdrop.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Apache Kafka's {@link KafkaProducer} (byte[] values, no key), the JVM's reference client.
 *
 * <p>Both variants send with the same acks and linger as the librdkafka clients: {@code acks=all} and
 * {@code linger.ms=5} (librdkafka's defaults, and kafka-clients 4's own), or the values given with {@code --kafka}.
 * <ul>
 *   <li><b>default</b>: everything else is kafka-clients' default (16 KB batches, 32 MB buffer, idempotence on).</li>
 *   <li><b>tuned</b>: the batch settings that give kafka-clients its best throughput on a single partition, chosen
 *       to match what librdkafka does by default: {@code batch.size=1000000} (librdkafka's batch.size: a 16 KB batch
 *       holds only ~130 messages of 100 bytes, so the network thread sends ~60 times more requests),
 *       {@code buffer.memory=268435456} (a million-message run never blocks in send for lack of buffer),
 *       {@code compression.type=none} (as librdkafka by default) and {@code enable.idempotence=false} (librdkafka's
 *       default; idempotence adds sequence bookkeeping per batch).</li>
 * </ul>
 */
final class KafkaClientsProducer implements BenchProducer {

    /** The tuned variant's settings, on top of the shared ones. */
    static final Map<String, String> TUNED = Map.of(
            ProducerConfig.BATCH_SIZE_CONFIG, "1000000",
            ProducerConfig.BUFFER_MEMORY_CONFIG, "268435456",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");

    private final KafkaProducer<byte[], byte[]> producer;

    KafkaClientsProducer(Variant variant, String name, String bootstrapServers, Map<String, String> kafka) {
        this.producer = new KafkaProducer<>(properties(variant, name, bootstrapServers, kafka),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The configuration of a variant: shared acks and linger (from {@code --kafka} when given), then tuning. */
    static Properties properties(Variant variant, String name, String bootstrapServers, Map<String, String> kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        props.put(ProducerConfig.ACKS_CONFIG, kafka.getOrDefault("acks", "all"));
        props.put(ProducerConfig.LINGER_MS_CONFIG, kafka.getOrDefault("linger.ms", "5"));
        if (variant == Variant.KAFKA_CLIENTS_TUNED) {
            props.putAll(TUNED);
        }
        return props;
    }

    @Override
    public void connect() {
        // KafkaProducer connects and fetches metadata on its first send.
    }

    @Override
    public void send(String topic, byte[] payload, Acknowledgement ack) {
        producer.send(new ProducerRecord<>(topic, payload), ack);
    }

    @Override
    public void sendSync(String topic, byte[] payload, Duration timeout) throws Exception {
        producer.send(new ProducerRecord<>(topic, payload)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
