package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.ProducerState;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Closing the context loses nothing that a producer accepted. */
class GracefulShutdownTests {

    private static final int MESSAGES = 100_000;
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdownTests.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class));

    @Test
    void whenContextClosesWithMessagesInFlightShouldDeliverEveryOne() {
        String topic = KafkaBroker.newTopic("graceful-shutdown", 3);
        List<DeliveryHandle> handles = new ArrayList<>(MESSAGES);
        AtomicInteger inFlightAtClose = new AtomicInteger();
        AtomicReference<Producer> producer = new AtomicReference<>();
        this.runner.withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                // Batches wait 100 ms for more messages, so the tail is certainly still in flight at close.
                "waterdrop.producers.default.kafka.linger.ms=100", "waterdrop.producers.default.close-timeout=60s")
            .run((context) -> {
                producer.set(context.getBean(Producer.class));
                for (int i = 0; i < MESSAGES; i++) {
                    handles.add(producer.get().produceAsync(Message.of(topic, "m" + i)));
                }
                inFlightAtClose.set(producer.get().queueLength());
            }); // the runner closes the context here

        log.info("{} of {} messages were in flight when the context closed", inFlightAtClose.get(), MESSAGES);
        assertThat(inFlightAtClose.get()).as("messages still in flight when the context closed").isPositive();
        assertThat(producer.get().state()).isEqualTo(ProducerState.CLOSED);
        assertThat(handles).hasSize(MESSAGES).allSatisfy((handle) -> assertThat(handle)
            .isCompletedWithValueMatching((report) -> report.error() == null));
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, MESSAGES, Duration.ofSeconds(120),
                false);
        Set<String> payloads = new HashSet<>();
        records.forEach((record) -> payloads.add(new String(record.value(), StandardCharsets.UTF_8)));
        assertThat(records).hasSize(MESSAGES);
        assertThat(payloads).hasSize(MESSAGES).contains("m0", "m" + (MESSAGES - 1));
    }
}
