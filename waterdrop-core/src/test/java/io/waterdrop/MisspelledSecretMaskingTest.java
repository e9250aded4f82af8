package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

/** A misspelled secret key is unknown to librdkafka and not recognised by Secrets: its value must not leak. */
class MisspelledSecretMaskingTest {

    @Test
    void unknownKeyNeverShowsItsValue() {
        assertThatExceptionOfType(ConfigurationException.class)
            .isThrownBy(() -> new Producer(ProducerConfig.builder().kafka("sasl.pasword", "hunter2").build()))
            .satisfies((e) -> org.assertj.core.api.Assertions.assertThat(e.key()).isEqualTo("kafka.sasl.pasword"))
            .withMessageContaining("kafka.sasl.pasword=" + Secrets.MASK)
            .withMessageContaining("No such configuration property")
            .withMessageNotContaining("hunter2");
    }

    @Test
    void invalidValueOfOrdinaryKeyIsStillShown() {
        assertThatExceptionOfType(ConfigurationException.class)
            .isThrownBy(() -> new Producer(ProducerConfig.builder().kafka("acks", "maybe").build()))
            .withMessageContaining("kafka.acks=maybe");
    }
}
