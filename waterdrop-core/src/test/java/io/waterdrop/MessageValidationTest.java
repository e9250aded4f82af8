package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Invalid messages fail before anything is sent, name the offending field, and leave the producer usable. */
class MessageValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"bad topic", "topic/with/slashes", "ünïcode", ".", ".."})
    void badTopicNameIsRejected(String topic) {
        assertThatThrownBy(() -> Message.of(topic, "x"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("topic");
                    assertThat(e.getMessage()).contains("'" + topic + "'", "not a valid Kafka topic name");
                });
    }

    @Test
    void tooLongTopicNameIsRejected() {
        assertThatThrownBy(() -> Message.of("t".repeat(250), "x"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("topic"));
        assertThat(Message.of("t".repeat(249), "x").topic()).hasSize(249);
    }

    @Test
    void missingTopicIsRejected() {
        assertThatThrownBy(() -> Message.of(null, "x"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("topic");
                    assertThat(e.getMessage()).isEqualTo("Invalid message: topic is missing; every message needs a topic");
                });
        assertThatThrownBy(() -> Message.of("", "x")).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void negativePartitionOtherThanAnyIsRejected() {
        assertThatThrownBy(() -> Message.builder("t").partition(-2).payload("x").build())
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("partition");
                    assertThat(e.getMessage()).contains("is -2", "ANY_PARTITION");
                });
        assertThat(Message.builder("t").partition(Message.ANY_PARTITION).build().partition()).isEqualTo(-1);
    }

    @Test
    void partitionKeyWithAnExplicitPartitionIsRejected() {
        assertThatThrownBy(() -> Message.builder("t").partitionKey("pk").partition(1).payload("x").build())
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo("partitionKey");
                    assertThat(e.getMessage()).contains("explicit partition (1)");
                });
    }

    @Test
    void emptyHeaderNameIsRejected() {
        assertThatThrownBy(() -> Message.builder("t").header("", "v").build())
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("headers"));
    }

    @Test
    void negativeTimestampIsRejected() {
        assertThatThrownBy(() -> Message.builder("t").timestamp(-5).build())
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.field()).isEqualTo("timestamp"));
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void payloadOverTheMaximumIsRejectedAndNothingIsSent(PollingMode mode) {
        String topic = KafkaBroker.newTopic("too-big");
        try (Producer producer = new Producer(brokerConfig("too-big", mode).maxPayloadSize(10).build())) {
            Message tooBig = Message.of(topic, "12345678901");
            assertThatThrownBy(() -> producer.produceAsync(tooBig))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                        assertThat(e.field()).isEqualTo("payload");
                        assertThat(e.getMessage()).contains("is 11 bytes, over max-payload-size 10");
                    });
            assertThatThrownBy(() -> producer.produceSync(tooBig)).isInstanceOf(InvalidMessageException.class);
            // One bad message in a batch rejects the whole batch before anything is handed to librdkafka.
            List<Message> batch = List.of(Message.of(topic, "fits"), tooBig, Message.of(topic, "fits too"));
            assertThatThrownBy(() -> producer.produceManyAsync(batch))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("payload"));
            assertThatThrownBy(() -> producer.produceManySync(batch)).isInstanceOf(InvalidMessageException.class);
            assertThat(producer.pendingDeliveries()).isZero();

            // Still usable, and the topic was empty: the first accepted message gets offset 0.
            DeliveryReport marker = producer.produceSync(Message.of(topic, "1234567890"));
            assertThat(marker.offset()).isZero();
        }
        assertThat(KafkaBroker.read(topic, 1)).extracting(CoreFixtures::value).containsExactly("1234567890");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void invalidMessagesLeaveTheTopicEmptyAndTheProducerUsable(PollingMode mode) {
        String topic = KafkaBroker.newTopic("invalid-then-valid");
        try (Producer producer = new Producer(brokerConfig("invalid-then-valid", mode).build())) {
            producer.connect();
            assertThatThrownBy(() -> producer.produceAsync(Message.builder(topic).partition(-2).payload("x").build()))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("partition"));
            assertThatThrownBy(() -> producer.produceSync(Message.builder(topic).partitionKey("k").partition(0)
                    .payload("x").build()))
                    .isInstanceOfSatisfying(InvalidMessageException.class,
                            e -> assertThat(e.field()).isEqualTo("partitionKey"));
            assertThatThrownBy(() -> producer.produceManySync(List.of(Message.of(topic, "ok"),
                    Message.of(topic + " bad", "x"))))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("topic"));
            assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);

            assertThat(producer.produceSync(Message.of(topic, "valid")).offset()).as("topic was empty").isZero();
        }
        assertThat(KafkaBroker.read(topic, 1)).extracting(CoreFixtures::value).containsExactly("valid");
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void nullMessageIsRejectedAndTheProducerStaysUsable(PollingMode mode) {
        String topic = KafkaBroker.newTopic("null-message");
        try (Producer producer = new Producer(brokerConfig("null-message", mode).build())) {
            assertThatThrownBy(() -> producer.produceAsync(null))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.field()).isEqualTo("message"));
            assertThat(producer.produceSync(Message.of(topic, "after")).offset()).isZero();
        }
    }
}
