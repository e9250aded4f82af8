package io.waterdrop.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real KRaft broker (spring-kafka-test's {@link EmbeddedKafkaKraftBroker}) shared by every test in the JVM,
 * plus helpers to create topics and read back what arrived with a real Java consumer.
 */
public final class KafkaBroker {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static volatile EmbeddedKafkaKraftBroker broker;

    private KafkaBroker() {
    }

    /** Starts the broker on first call (about 3 s) and returns its bootstrap servers. */
    public static String bootstrapServers() {
        EmbeddedKafkaKraftBroker b = broker;
        if (b == null) {
            synchronized (KafkaBroker.class) {
                if (broker == null) {
                    EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
                    started.brokerProperties(Map.of(
                            "transaction.state.log.replication.factor", "1",
                            "transaction.state.log.min.isr", "1",
                            "offsets.topic.replication.factor", "1",
                            "auto.create.topics.enable", "true",
                            "num.partitions", "1",
                            // One partition instead of 50: the first consumer group and the first transaction
                            // of a test JVM then start in about a second instead of 5 to 15.
                            "offsets.topic.num.partitions", "1",
                            "transaction.state.log.num.partitions", "1"));
                    started.afterPropertiesSet();
                    Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-shutdown"));
                    broker = started;
                }
                b = broker;
            }
        }
        return b.getBrokersAsString();
    }

    /** Creates a fresh topic with {@code partitions} partitions and returns its name. */
    public static String newTopic(String prefix, int partitions) {
        return newTopic(bootstrapServers(), prefix, partitions);
    }

    /** Creates a fresh topic on the broker at {@code bootstrapServers} (e.g. a {@link BrokerProcess}). */
    public static String newTopic(String bootstrapServers, String prefix, int partitions) {
        return createTopic(bootstrapServers,
                prefix + "-" + TOPICS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8),
                partitions);
    }

    /** Creates a topic with exactly this name (tests that need a name of a given length) and returns the name. */
    public static String createTopic(String name, int partitions) {
        return createTopic(bootstrapServers(), name, partitions);
    }

    private static String createTopic(String bootstrapServers, String name, int partitions) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        return name;
    }

    public static String newTopic(String prefix) {
        return newTopic(prefix, 1);
    }

    /**
     * Reads records of {@code topic} from the beginning until {@code expected} arrived or {@code timeout} passed.
     * With {@code readCommitted}, aborted transactional records are skipped.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout,
            boolean readCommitted) {
        return read(bootstrapServers(), topic, expected, timeout, readCommitted);
    }

    /** Like {@link #read(String, int, Duration, boolean)}, from the broker at {@code bootstrapServers}. */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic, int expected,
            Duration timeout, boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        return read(topic, expected, Duration.ofSeconds(30), false);
    }
}
