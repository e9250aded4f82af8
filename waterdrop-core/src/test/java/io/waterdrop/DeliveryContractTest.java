package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * librdkafka settings that would break "every message gets exactly one delivery report on our polling thread" are
 * refused when the producer is built, naming the key (issue 7, defect 4).
 */
class DeliveryContractTest {

    @ParameterizedTest
    @CsvSource({
        "delivery.report.only.error, true, successful messages would never get a delivery report",
        "delivery.report.only.error, T, successful messages would never get a delivery report",
        "delivery.report.only.error, 1, successful messages would never get a delivery report",
        "enabled_events, 1, WaterDrop chooses which librdkafka events it serves",
        "log.queue, false, librdkafka would call the logger on its own threads",
        "enable.sasl.oauthbearer.unsecure.jwt, true, its token refresh needs callback polling",
        "ut_handle_ProduceResponse, 1, it is a librdkafka unit-test hook",
    })
    void settingThatBreaksTheDeliveryContractIsRefusedNamingTheKey(String key, String value, String reason) {
        ProducerConfig config = brokerConfig("contract", PollingMode.FD).kafka(key, value).build();
        assertThatThrownBy(() -> new Producer(config)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.key()).isEqualTo("kafka." + key);
            assertThat(e.getMessage()).startsWith("kafka." + key + "=" + value + " is not supported: ")
                    .contains(reason);
        });
    }

    @Test
    void harmlessValuesOfTheSameKeysAreAccepted() {
        String topic = KafkaBroker.newTopic("contract-ok");
        try (Producer producer = new Producer(brokerConfig("contract-ok", PollingMode.FD)
                .kafka("delivery.report.only.error", "false")
                .kafka("log.queue", "true")
                .kafka("enable.sasl.oauthbearer.unsecure.jwt", "false")
                .build())) {
            assertThat(producer.produceSync(Message.of(topic, "reported")).offset()).isZero();
        }
    }
}
