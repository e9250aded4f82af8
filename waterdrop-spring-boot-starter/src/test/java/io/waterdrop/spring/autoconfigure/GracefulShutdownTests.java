package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.ProduceException;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Closing the context loses nothing that a producer accepted, and gives up after the close-timeout. */
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

    @Test
    @Timeout(120) // a guard against a hanging close, not a speed check
    void whenBrokerIsUnreachableShouldCloseAfterCloseTimeoutAndFailWhatWasNotDelivered() {
        List<DeliveryHandle> handles = new ArrayList<>();
        List<Integer> undelivered = new CopyOnWriteArrayList<>();
        this.runner.withPropertyValues("waterdrop.producers.default.kafka.bootstrap.servers=127.0.0.1:1",
                "waterdrop.producers.default.close-timeout=500ms")
            .run((context) -> {
                Producer producer = context.getBean(Producer.class);
                producer.monitor().subscribe(Event.ProducerClosed.class, (event) -> undelivered.add(event.undelivered()));
                for (int i = 0; i < 10; i++) {
                    handles.add(producer.produceAsync(Message.of("nowhere", "m" + i)));
                }
            });
        assertThat(undelivered).containsExactly(10);
        assertThat(handles).allSatisfy((handle) -> assertThat(handle).failsWithin(Duration.ZERO)
            .withThrowableOfType(ExecutionException.class)
            .havingCause()
            .isInstanceOfSatisfying(ProduceException.class,
                    (failure) -> assertThat(failure.error().code()).isIn(KafkaError.PURGE_QUEUE, KafkaError.PURGE_INFLIGHT)));
    }
}
