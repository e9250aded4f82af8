package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code ProducerConfig.topics}: metadata fetched at connect; a failure is an event, never a failed connect. */
class DeclaredTopicsTest {

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void declaredTopicsConnectWithoutErrorsAndTakeMessages(PollingMode mode) {
        String first = KafkaBroker.newTopic("declared-a");
        String second = KafkaBroker.newTopic("declared-b");
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("declared", mode).topics(first, second).build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            producer.connect();
            assertThat(producer.produceSync(Message.of(first, "one")).isDelivered()).isTrue();
            assertThat(producer.produceSync(Message.of(second, "two")).isDelivered()).isTrue();
        }
        assertThat(errors).isEmpty();
        assertThat(KafkaBroker.read(first, 1)).extracting(CoreFixtures::value)
                .containsExactly("one");
        assertThat(KafkaBroker.read(second, 1)).extracting(CoreFixtures::value)
                .containsExactly("two");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void unreachableBrokerReportsTheDeclaredTopicAndStillConnects(PollingMode mode) {
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(unreachableConfig("declared-down", mode).topics("orders")
                .maxWaitTimeout(Duration.ofMillis(300)).build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            producer.connect();

            assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);
            // librdkafka's own connection errors arrive too; exactly one event is about the declared topic.
            assertThat(errors).filteredOn(e -> e.errorType().equals("topics.metadata")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.kafkaError().message()).startsWith("declared topic 'orders': ");
                        // _TRANSPORT (connection refused) or _TIMED_OUT, whichever librdkafka meets first
                        assertThat(e.kafkaError().code()).isIn(-195, -185);
                    });
            // The producer still takes messages (they wait in librdkafka's queue for the broker).
            assertThat(producer.produceAsync(Message.of("orders", "queued"))).isNotNull();
        }
    }

    @Test
    void anInvalidDeclaredTopicNamesItsIndex() {
        assertThatThrownBy(() -> ProducerConfig.builder().topics("ok", "not valid").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("topics[1]");
                    assertThat(e.getMessage()).contains("'not valid' is not a valid Kafka topic name")
                            .contains("fix or remove it");
                });
        assertThatThrownBy(() -> ProducerConfig.builder().topics("ok", null).build())
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("topics[1]"));
        assertThatThrownBy(() -> ProducerConfig.builder().topics((List<String>) null))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("topics"));
    }

    @Test
    void topicsSurviveToBuilder() {
        ProducerConfig config = ProducerConfig.builder().topics("a", "b").build();
        assertThat(config.topics()).containsExactly("a", "b");
        assertThat(config.toBuilder().build().topics()).containsExactly("a", "b");
    }
}
