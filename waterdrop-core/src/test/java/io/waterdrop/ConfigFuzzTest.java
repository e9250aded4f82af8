package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

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

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void randomSettingsWorkOrFailTyped(@ForAll("settings") Map<String, String> settings) {
        String topic = "config-fuzz";
        ProducerConfig config;
        try {
            config = ProducerConfig.builder().name(CoreFixtures.uniqueName("config-fuzz"))
                    .bootstrapServers(KafkaBroker.bootstrapServers()).kafka(settings)
                    .maxWaitTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofMillis(500)).build();
        } catch (ConfigurationException e) {
            assertThat(e.key()).isNotBlank();
            Statistics.label("outcome").collect("builder: " + e.key());
            return;
        }
        Producer producer;
        try {
            producer = new Producer(config);
            producer.connect();
        } catch (ConfigurationException e) {
            assertThat(e.key()).startsWith("kafka");
            Statistics.label("outcome").collect("librdkafka refused the setting");
            return;
        }
        try {
            producer.produceSync(Message.of(topic, "x"));
            Statistics.label("outcome").collect("delivered");
        } catch (WaterDropException e) {
            assertThat(e).isInstanceOfAny(ProduceException.class, DeliveryTimeoutException.class,
                    QueueFullException.class, InvalidMessageException.class);
            Statistics.label("outcome").collect("send failed: " + e.getClass().getSimpleName());
        } finally {
            producer.close();
        }
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
    }

    @Provide
    Arbitrary<Map<String, String>> settings() {
        Arbitrary<String> key = Arbitraries.<String>frequencyOf(
                weight(8, Arbitraries.of(KEYS)),
                weight(1, Arbitraries.strings().all().ofMaxLength(30)),
                weight(1, Arbitraries.of(KEYS).map(k -> k + "\0x")));
        Arbitrary<String> value = Arbitraries.<String>frequencyOf(
                weight(4, Arbitraries.integers().map(String::valueOf)),
                weight(2, Arbitraries.of("0", "-1", "1", "2147483647", "2147483648", "9223372036854775807", "true",
                        "false", "all", "none", "gzip", "zstd", "murmur2_random", "random", "")),
                weight(2, Arbitraries.strings().all().ofMaxLength(30)),
                weight(1, Arbitraries.strings().numeric().ofMaxLength(5).map(s -> s + "\0" + s)));
        return Arbitraries.maps(key, value).ofMaxSize(3);
    }

    private static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> weight(int weight,
            Arbitrary<? extends T> arbitrary) {
        return net.jqwik.api.Tuple.of(weight, arbitrary);
    }
}
