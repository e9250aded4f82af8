package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@code Message.label}: back with every outcome, never in Kafka, never printed. */
class LabelsTest {

    /** Personal data, as a label may hold: must never show in Kafka, logs or toString. */
    private record Customer(String email) {
    }

    private static final Customer ALICE = new Customer("alice@example.com");

    @Test
    void aLabelComesBackWithTheReportAndTheEventAndNeverReachesKafka() {
        String topic = KafkaBroker.newTopic("labels");
        List<Event.MessageAcknowledged> acknowledged = new CopyOnWriteArrayList<>();
        DeliveryReport sync;
        DeliveryReport async;
        try (Producer producer = Producer.create(brokerConfig("labels", PollingMode.FD).build())) {
            producer.monitor().subscribe(Event.MessageAcknowledged.class, acknowledged::add);
            Message message = Message.builder(topic).key("k").payload("v").label(ALICE).build();
            sync = producer.produceSync(message);
            async = producer.produceAsync(message.toBuilder().payload("v2").build()).await();
        }
        assertThat(sync.label()).isSameAs(ALICE);
        assertThat(async.label()).isSameAs(ALICE);
        assertThat(acknowledged).extracting(e -> e.message().label()).containsExactly(ALICE, ALICE);
        assertThat(acknowledged).extracting(e -> e.report().label()).containsExactly(ALICE, ALICE);
        assertThat(sync.toString() + acknowledged).doesNotContain(ALICE.email());

        List<ConsumerRecord<byte[], byte[]>> records;
        try (RecordReader reader = new RecordReader()) {
            records = List.of(reader.read(topic, 0, sync.offset()), reader.read(topic, 0, async.offset()));
        }
        assertThat(records).extracting(CoreFixtures::value).containsExactly("v", "v2");
        assertThat(records).allSatisfy(r -> {
            assertThat(CoreFixtures.key(r)).isEqualTo("k");
            assertThat(r.headers().toArray()).isEmpty();
        });
    }

    @Test
    void aRefusedMessageKeepsItsLabelInTheException() {
        String topic = KafkaBroker.newTopic("labels-refused");
        try (Producer producer = Producer.create(brokerConfig("labels-refused", PollingMode.THREAD).build())) {
            Message wrongPartition = Message.builder(topic).partition(7).payload("x").label(ALICE).build();
            assertThatThrownBy(() -> producer.produceSync(wrongPartition))
                    .isInstanceOfSatisfying(ProduceException.class, e -> {
                        assertThat(e.error().name()).isEqualTo("_UNKNOWN_PARTITION");
                        assertThat(e.label()).isSameAs(ALICE);
                        assertThat(e.getMessage()).doesNotContain(ALICE.email());
                    });
        }
    }

    /** Fails in the delivery report: a variant's message.timeout.ms expires while no broker answers. */
    @Test
    void aMessageThatTimesOutKeepsItsLabelInTheHandleAndTheErrorEvent() {
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        try (Producer producer = Producer.create(unreachableConfig("labels-timeout", PollingMode.FD).build())) {
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            DeliveryHandle handle = producer.variant(Map.of("message.timeout.ms", "100"))
                    .produceAsync(Message.builder("orders").payload("late").label(ALICE).build());

            assertThatThrownBy(handle::await).isInstanceOfSatisfying(ProduceException.class, e -> {
                assertThat(e.error().name()).isEqualTo("_MSG_TIMED_OUT");
                assertThat(e.label()).isSameAs(ALICE);
                assertThat(e.failedMessage().toString()).doesNotContain(ALICE.email());
            });
        }
        assertThat(errors).filteredOn(e -> e.message() != null).singleElement()
                .satisfies(e -> assertThat(e.message().label()).isSameAs(ALICE));
    }
}
