package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge values of every setting that reaches C or a timeout: each fails with a {@link ConfigurationException} naming the
 * setting, never a bare runtime exception, and never shows a value that may be secret.
 */
class ConfigEdgeValueTest {

    private static final String SECRET = "s3cr3t-Value";
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

    static Stream<Arguments> rejected() {
        return Stream.of(
                rejected("kafka.transactional.id", b -> b.kafka("transactional.id", "tx\0-1")),
                rejected("kafka.sasl.password", b -> b.kafka("sasl.password", SECRET + "\0rest")),
                rejected("kafka.bootstrap.servers", b -> b.bootstrapServers("localhost:9092\0,evil:1")),
                rejected("kafka.client.id\\u0000x", b -> b.kafka("client.id\0x", "v")),
                rejected("name", b -> b.name("orders\0")),
                rejected("max-wait-timeout", b -> b.maxWaitTimeout(HUGE)),
                rejected("queue-full-timeout", b -> b.queueFullTimeout(Duration.ofMillis(Integer.MAX_VALUE + 1L))),
                rejected("close-timeout", b -> b.closeTimeout(HUGE)),
                rejected("polling.fd.max-time", b -> b.fdMaxTime(HUGE)),
                rejected("polling.fd.periodic-poll-interval", b -> b.fdPeriodicPollInterval(HUGE)),
                rejected("polling.thread.poll-timeout", b -> b.threadPollTimeout(HUGE)),
                rejected("max-wait-timeout", b -> b.maxWaitTimeout(Duration.ofSeconds(Long.MIN_VALUE))),
                rejected("max-payload-size", b -> b.maxPayloadSize(Integer.MIN_VALUE)));
    }

    private static Arguments rejected(String key, UnaryOperator<ProducerConfig.Builder> setting) {
        return Arguments.of(key, setting);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void edgeValueFailsTheBuildNamingTheSetting(String key, UnaryOperator<ProducerConfig.Builder> setting) {
        assertThatThrownBy(() -> setting.apply(ProducerConfig.builder()).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("\0");
                });
    }

    @Test
    void nulInAValueIsNamedAndTheValueIsNeverShown() {
        assertThatThrownBy(() -> ProducerConfig.builder().kafka("sasl.password", SECRET + "\0").build())
                .hasMessage("kafka.sasl.password contains a NUL character (\\u0000), which librdkafka would cut the "
                        + "value at; remove it");
    }

    @Test
    void theLongestDurationIsAccepted() {
        Duration longest = Duration.ofMillis(Integer.MAX_VALUE);
        ProducerConfig config = ProducerConfig.builder().maxWaitTimeout(longest).closeTimeout(longest)
                .queueFullTimeout(longest).build();
        assertThat(config.maxWaitTimeout()).isEqualTo(longest);
        assertThatThrownBy(() -> ProducerConfig.builder().maxWaitTimeout(longest.plusMillis(1)).build())
                .hasMessage("max-wait-timeout must be at most 2147483647ms (about 24 days) but was 2147483648ms");
    }

    @Test
    void pollerTimeoutsOutOfRangeAreNamed() {
        assertThatThrownBy(() -> new Poller(HUGE))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("poll-timeout");
                    assertThat(e.getMessage()).isEqualTo("poll-timeout must be at most 2147483647ms (about 24 days) "
                            + "but was PT2562047788015215H30M7S");
                });
        assertThatThrownBy(() -> new Poller(Duration.ofSeconds(Long.MIN_VALUE)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key()).isEqualTo("poll-timeout"));
        assertThatThrownBy(() -> new Poller(null)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void anUnknownPartitionerIsRejectedByLibrdkafkaNamingIt() {
        assertThatThrownBy(() -> new Producer(ProducerConfig.builder().kafka("partitioner", "nope").build()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("kafka.partitioner"));
    }
}
