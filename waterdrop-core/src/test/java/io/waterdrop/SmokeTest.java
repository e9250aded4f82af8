package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeTest {

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void producesAndReadsBack(PollingMode mode) {
        String topic = KafkaBroker.newTopic("smoke");
        try (Producer producer = new Producer(ProducerConfig.builder().bootstrapServers(KafkaBroker.bootstrapServers())
                .pollingMode(mode).build())) {
            DeliveryReport report = producer.produceSync(Message.builder(topic).payload("hello").key("k")
                    .header("h", "v").build());
            assertThat(report.offset()).isEqualTo(0);
            assertThat(report.topic()).isEqualTo(topic);
            List<DeliveryHandle> handles = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
            }
            handles.forEach(DeliveryHandle::await);
        }
        assertThat(KafkaBroker.read(topic, 1001)).hasSize(1001);
    }
}
