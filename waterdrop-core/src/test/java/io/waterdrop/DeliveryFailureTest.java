package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.waterdrop.test.KafkaBroker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Messages librdkafka cannot deliver: every failure surfaces with librdkafka's exact error. */
class DeliveryFailureTest {

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void unknownPartitionFailsInTheReportBeforeMetadataIsKnown(PollingMode mode) {
        String topic = KafkaBroker.newTopic("no-partition");
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("no-partition", mode).build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            // librdkafka does not know the topic yet: it queues the message and fails it once metadata arrives.
            DeliveryHandle handle = producer.produceAsync(Message.builder(topic).partition(5).payload("x").build());

            assertThatThrownBy(handle::await).isInstanceOfSatisfying(ProduceException.class, e -> {
                assertThat(e.error().name()).isEqualTo("_UNKNOWN_PARTITION");
                assertThat(e.failedMessage()).isSameAs(handle.message());
                assertThat(e.getMessage()).contains(topic, "_UNKNOWN_PARTITION");
            });
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.errorType()).isEqualTo("librdkafka.dispatch_error");
                assertThat(e.kafkaError().name()).isEqualTo("_UNKNOWN_PARTITION");
                assertThat(e.message()).isSameAs(handle.message());
            });
            // Nothing arrived: the next message on the topic's only partition gets offset 0.
            assertThat(producer.produceSync(Message.of(topic, "marker")).offset()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void unknownPartitionFailsAtProduceOnceMetadataIsKnown(PollingMode mode) {
        String topic = KafkaBroker.newTopic("no-partition-known");
        try (Producer producer = new Producer(brokerConfig("no-partition-known", mode).build())) {
            producer.produceSync(Message.of(topic, "learn-metadata"));

            Message bad = Message.builder(topic).partition(5).payload("x").build();
            assertThatThrownBy(() -> producer.produceAsync(bad)).isInstanceOfSatisfying(ProduceException.class, e -> {
                assertThat(e.error().name()).isEqualTo("_UNKNOWN_PARTITION");
                assertThat(e.error().code()).isEqualTo(-190);
                assertThat(e.failedMessage()).isSameAs(bad);
            });
            assertThatThrownBy(() -> producer.produceSync(bad)).isInstanceOf(ProduceException.class);
            assertThat(producer.pendingDeliveries()).isZero();
            assertThat(producer.produceSync(Message.of(topic, "after")).offset()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void messageTimeoutAgainstAnUnreachableBrokerFailsWithMsgTimedOut(PollingMode mode) {
        try (Producer producer = new Producer(unreachableConfig("timeout", mode)
                .kafka("message.timeout.ms", "500").build())) {
            Message message = Message.of("never-delivered", "x");
            assertThatThrownBy(() -> producer.produceSync(message))
                    .isInstanceOfSatisfying(ProduceException.class, e -> {
                        assertThat(e.error().name()).isEqualTo("_MSG_TIMED_OUT");
                        assertThat(e.error().code()).isEqualTo(KafkaError.MSG_TIMED_OUT);
                        assertThat(e.error().message()).isNotBlank();
                        assertThat(e.failedMessage()).isSameAs(message);
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceManySyncReportsEveryFailedMessage(PollingMode mode) {
        String topic = KafkaBroker.newTopic("many-failures");
        List<Message> batch = List.of(
                Message.builder(topic).partition(0).payload("ok-0").build(),
                Message.builder(topic).partition(7).payload("bad-1").build(),
                Message.builder(topic).partition(0).payload("ok-2").build(),
                Message.builder(topic).partition(9).payload("bad-3").build(),
                Message.builder(topic).partition(8).payload("bad-4").build());
        try (Producer producer = new Producer(brokerConfig("many-failures", mode).build())) {
            assertThatThrownBy(() -> producer.produceManySync(batch))
                    .asInstanceOf(type(ProduceManyException.class))
                    .satisfies(e -> {
                        assertThat(e.failures()).hasSize(3);
                        assertThat(e.failures()).extracting(ProduceManyException.Failure::index)
                                .containsExactly(1, 3, 4);
                        assertThat(e.failures()).extracting(ProduceManyException.Failure::message)
                                .containsExactly(batch.get(1), batch.get(3), batch.get(4));
                        assertThat(e.failures()).allSatisfy(f -> assertThat(f.cause())
                                .isInstanceOfSatisfying(ProduceException.class,
                                        p -> assertThat(p.error().name()).isEqualTo("_UNKNOWN_PARTITION")));
                        assertThat(e.delivered()).hasSize(2)
                                .allSatisfy(r -> assertThat(r.partition()).isZero());
                        assertThat(e.getMessage()).contains("3 of 5 messages failed");
                    });
        }
        assertThat(KafkaBroker.read(topic, 2)).extracting(CoreFixtures::value).containsExactly("ok-0", "ok-2");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void produceManySyncAgainstAnUnreachableBrokerListsTheWholeBatch(PollingMode mode) {
        List<Message> batch = List.of(Message.of("t", "1"), Message.of("t", "2"), Message.of("t", "3"),
                Message.of("t", "4"));
        try (Producer producer = new Producer(unreachableConfig("many-timeout", mode)
                .kafka("message.timeout.ms", "500").build())) {
            assertThatThrownBy(() -> producer.produceManySync(batch))
                    .asInstanceOf(type(ProduceManyException.class))
                    .satisfies(e -> {
                        assertThat(e.failures()).hasSize(4);
                        assertThat(e.delivered()).isEmpty();
                        assertThat(e.failures()).allSatisfy(f -> assertThat(f.cause())
                                .isInstanceOfSatisfying(ProduceException.class,
                                        p -> assertThat(p.error().name()).isEqualTo("_MSG_TIMED_OUT")));
                    });
        }
    }
}
