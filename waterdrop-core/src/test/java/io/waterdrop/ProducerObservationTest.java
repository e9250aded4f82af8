package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One observation per message, spring-kafka's sender conventions, stopped by the delivery report. */
class ProducerObservationTest {

    @Test
    void everyMessageIsObservedFromProduceToDeliveryReport() {
        String topic = KafkaBroker.newTopic("observed");
        TestObservationRegistry registry = TestObservationRegistry.create();
        try (Producer producer = new Producer(brokerConfig("observed", PollingMode.FD).build())) {
            producer.addSendObserver(new ProducerObservation(registry));
            DeliveryReport report = producer.produceSync(Message.of(topic, "traced"));

            assertThat(registry).hasNumberOfObservationsEqualTo(1)
                    .hasSingleObservationThat()
                    .hasNameEqualTo("waterdrop.producer.send")
                    .hasContextualNameEqualTo(topic + " send")
                    .hasLowCardinalityKeyValue("messaging.system", "kafka")
                    .hasLowCardinalityKeyValue("messaging.operation", "publish")
                    .hasLowCardinalityKeyValue("messaging.destination.kind", "topic")
                    .hasLowCardinalityKeyValue("messaging.destination.name", topic)
                    .hasLowCardinalityKeyValue("waterdrop.producer", producer.name())
                    .hasHighCardinalityKeyValue("messaging.kafka.message.offset", String.valueOf(report.offset()))
                    .hasBeenStarted()
                    .hasBeenStopped()
                    .doesNotHaveError();
        }
    }

    @Test
    void aFailedDeliveryStopsItsObservationWithTheError() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        try (Producer producer = new Producer(unreachableConfig("observed-failed", PollingMode.FD)
                .kafka("message.timeout.ms", "300").build())) {
            producer.addSendObserver(new ProducerObservation(registry));
            assertThatThrownBy(() -> producer.produceSync(Message.of("nowhere", "lost")))
                    .isInstanceOf(ProduceException.class);

            assertThat(registry).hasSingleObservationThat().hasBeenStopped()
                    .assertThatError().isInstanceOf(ProduceException.class)
                    .hasMessageContaining("_MSG_TIMED_OUT");
        }
    }

    @Test
    void aPropagatorWritesTheTraceContextIntoTheRecordHeaders() {
        String topic = KafkaBroker.newTopic("observed-headers");
        TestObservationRegistry registry = TestObservationRegistry.create();
        // What a tracing bridge's propagating sender handler does on start: write the context through the setter.
        registry.observationConfig().observationHandler(new ObservationHandler<SenderContext<Object>>() {
            @Override
            @SuppressWarnings("unchecked")
            public void onStart(SenderContext<Object> context) {
                context.getSetter().set(context.getCarrier(), "traceparent", "00-trace-span-01");
            }

            @Override
            public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                return context instanceof SenderContext;
            }
        });
        try (Producer producer = new Producer(brokerConfig("observed-headers", PollingMode.FD).build())) {
            producer.addSendObserver(new ProducerObservation(registry));
            producer.produceSync(Message.builder(topic).payload("p").header("own", "kept").build());
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 1);
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo("00-trace-span-01");
        assertThat(new String(records.get(0).headers().lastHeader("own").value(), StandardCharsets.UTF_8))
                .isEqualTo("kept");
    }

    @Test
    void removedObserverSeesNoMoreMessages() {
        String topic = KafkaBroker.newTopic("observed-removed");
        TestObservationRegistry registry = TestObservationRegistry.create();
        try (Producer producer = new Producer(brokerConfig("observed-removed", PollingMode.THREAD).build())) {
            Monitor.Subscription subscription = producer.addSendObserver(new ProducerObservation(registry));
            producer.produceSync(Message.of(topic, "one"));
            subscription.close();
            producer.produceSync(Message.of(topic, "two"));
            assertThat(registry).hasNumberOfObservationsEqualTo(1);
        }
    }
}
