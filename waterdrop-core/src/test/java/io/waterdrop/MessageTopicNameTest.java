package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kafka's topic-name rule, checked without a regex on every message build. */
class MessageTopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "Orders.v2", "my_topic-1", "...", ".hidden", "__consumer_offsets", "0"})
    void legalNamesAreAccepted(String topic) {
        assertThat(Message.of(topic, "x").topic()).isEqualTo(topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "with space", "slash/topic", "colon:topic", "ümlaut", "tab\t", "star*"})
    void illegalNamesAreRejectedWithTheRule(String topic) {
        assertThatThrownBy(() -> Message.of(topic, "x"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("'" + topic + "' is not a valid Kafka topic name")
                .hasMessageContaining("1-249 characters of a-z, A-Z, 0-9, '.', '_', '-'");
    }

    @org.junit.jupiter.api.Test
    void namesMayHaveAtMost249Characters() {
        assertThat(Message.of("t".repeat(249), "x").topic()).hasSize(249);
        assertThatThrownBy(() -> Message.of("t".repeat(250), "x")).isInstanceOf(InvalidMessageException.class);
    }
}
