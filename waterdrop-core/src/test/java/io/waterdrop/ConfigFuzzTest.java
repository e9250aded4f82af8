package io.waterdrop;

import static io.waterdrop.test.RandomInputs.weight;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RandomInputs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random librdkafka settings (real property names on our produce path and garbage, with random values): building,
 * connecting and sending one message either works or fails with a typed error; the JVM never crashes and no call
 * hangs past its bound.
 */
class ConfigFuzzTest {

    private static final String[] KEYS = {
        "acks", "linger.ms", "batch.num.messages", "batch.size", "message.max.bytes", "queue.buffering.max.messages",
        "queue.buffering.max.kbytes", "compression.type", "compression.level", "partitioner", "message.timeout.ms",
        "retries", "enable.idempotence", "client.id", "socket.timeout.ms", "statistics.interval.ms",
        "sticky.partitioning.linger.ms", "allow.auto.create.topics", "topic.metadata.refresh.interval.ms",
        "max.in.flight", "request.timeout.ms", "retry.backoff.ms", "reconnect.backoff.ms", "log_level",
        "metadata.max.age.ms", "topic.metadata.propagation.max.ms", "enable.gapless.guarantee"
    };

    private static final Map<String, Integer> OUTCOMES = new ConcurrentHashMap<>();

    @AfterAll
    static void report() {
        System.out.println("ConfigFuzzTest outcomes: " + new TreeMap<>(OUTCOMES));
    }

    @TestFactory
    Stream<DynamicTest> randomSettingsWorkOrFailTyped() {
        return RandomInputs.cases(40, random -> workOrFailTyped(settings(random)));
    }

    private static void outcome(String outcome) {
        OUTCOMES.merge(outcome, 1, Integer::sum);
    }

    private void workOrFailTyped(Map<String, String> settings) {
        String topic = "config-fuzz";
        ProducerConfig config;
        try {
            config = ProducerConfig.builder().name(CoreFixtures.uniqueName("config-fuzz"))
                    .bootstrapServers(KafkaBroker.bootstrapServers()).kafka(settings)
                    .maxWaitTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofMillis(500)).build();
        } catch (ConfigurationException e) {
            assertThat(e.key()).isNotBlank();
            outcome("builder: " + e.key());
            return;
        }
        Producer producer;
        try {
            producer = new Producer(config);
            producer.connect();
        } catch (ConfigurationException e) {
            assertThat(e.key()).startsWith("kafka");
            outcome("librdkafka refused the setting");
            return;
        }
        try {
            producer.produceSync(Message.of(topic, "x"));
            outcome("delivered");
        } catch (WaterDropException e) {
            assertThat(e).isInstanceOfAny(ProduceException.class, DeliveryTimeoutException.class,
                    QueueFullException.class, InvalidMessageException.class);
            outcome("send failed: " + e.getClass().getSimpleName());
        } finally {
            producer.close();
        }
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    private static Map<String, String> settings(RandomInputs r) {
        Map<String, String> settings = new LinkedHashMap<>();
        int count = r.between(0, 3);
        for (int i = 0; i < count; i++) {
            String key = r.oneOf(
                    weight(8, () -> r.pick(KEYS)),
                    weight(1, () -> r.anyString(0, 30)),
                    weight(1, () -> r.pick(KEYS) + "\0x"));
            String value = r.oneOf(
                    weight(4, () -> String.valueOf(r.anyInt())),
                    weight(2, () -> r.pick("0", "-1", "1", "2147483647", "2147483648", "9223372036854775807", "true",
                            "false", "all", "none", "gzip", "zstd", "murmur2_random", "random", "")),
                    weight(2, () -> r.anyString(0, 30)),
                    weight(1, () -> {
                        String digits = String.valueOf(r.between(0, 99_999));
                        return digits + "\0" + digits;
                    }));
            settings.put(key, value);
        }
        return settings;
    }
}
