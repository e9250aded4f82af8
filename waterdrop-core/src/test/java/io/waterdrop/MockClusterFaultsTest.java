package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.MockKafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Broker faults injected with librdkafka's mock cluster ({@link MockKafkaCluster}), acks=all with idempotence:
 * retriable Produce errors and a broker that goes down are retried until every message is delivered exactly once; a
 * fatal idempotence error (out-of-sequence on the head-of-line request) surfaces as typed errors and an
 * {@code error.occurred} event (without {@code reload-on-idempotent-fatal-error}, off by default), and the Poller keeps
 * serving its other producers.
 */
class MockClusterFaultsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOPIC = "faults";

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void retriableProduceErrorsAreRetriedAndEveryMessageIsDeliveredOnce(PollingMode mode) {
        try (MockKafkaCluster cluster = new MockKafkaCluster(3)) {
            try (Producer producer = Producer.create(idempotent(cluster, mode).build())) {
                producer.produceSync(toTopic("warm-up"));
                cluster.pushRequestErrors(MockKafkaCluster.PRODUCE, MockKafkaCluster.NOT_LEADER_OR_FOLLOWER,
                        MockKafkaCluster.REQUEST_TIMED_OUT, MockKafkaCluster.NOT_ENOUGH_REPLICAS,
                        MockKafkaCluster.REQUEST_TIMED_OUT);
                List<DeliveryHandle> handles = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    handles.add(producer.produceAsync(toTopic("m" + i)));
                }
                List<Long> offsets = handles.stream().map(handle -> handle.await(PATIENCE).offset()).toList();
                // -1: delivered without a known offset. On a loaded machine a retry can overtake the answer to a send
                // that was written; the broker then answers DUPLICATE_SEQUENCE_NUMBER and librdkafka (2.0.2,
                // rdkafka_request.c) reports the message delivered with no offset. Every known offset is still unique
                // and inside 1..100, so nothing was written twice.
                List<Long> known = offsets.stream().filter(offset -> offset != -1L).toList();
                assertThat(known).as("offsets of 100 messages sent through 4 retriable errors")
                        .doesNotHaveDuplicates().allSatisfy(offset -> assertThat(offset).isBetween(1L, 100L));
                assertThat(offsets.size() - known.size()).as("messages delivered without a known offset")
                        .isLessThanOrEqualTo(10);
                assertThat(producer.fatalError()).isNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void brokerDownAndUpAgainDeliversEveryQueuedMessageOnce(PollingMode mode) {
        try (MockKafkaCluster cluster = new MockKafkaCluster(1)) {
            List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
            try (Producer producer = Producer.create(idempotent(cluster, mode).build())) {
                producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
                producer.produceSync(toTopic("warm-up"));
                cluster.brokerDown(1);
                List<DeliveryHandle> handles = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    handles.add(producer.produceAsync(toTopic("m" + i)));
                }
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(errors).as("the outage, reported")
                        .anySatisfy(e -> assertThat(e.kafkaError()).isNotNull()));
                cluster.brokerUp(1);
                List<Long> offsets = handles.stream().map(handle -> handle.await(PATIENCE).offset()).toList();
                assertThat(offsets).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            }
        }
    }

    @Test
    void fatalOutOfSequenceErrorIsTypedAndReportedWhileThePollerKeepsServingOthers() {
        Poller poller = new Poller();
        try (MockKafkaCluster cluster = new MockKafkaCluster(1)) {
            List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
            try (Producer doomed = Producer.create(idempotent(cluster, PollingMode.FD).poller(poller).build());
                    Producer bystander = Producer.create(idempotent(cluster, PollingMode.FD).poller(poller).build())) {
                doomed.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
                doomed.produceSync(toTopic("warm-up"));
                bystander.produceSync(toOthers("warm-up"));

                cluster.pushRequestErrors(MockKafkaCluster.PRODUCE, MockKafkaCluster.OUT_OF_ORDER_SEQUENCE_NUMBER);
                DeliveryHandle failed = doomed.produceAsync(toTopic("out-of-sequence"));
                assertThatThrownBy(() -> failed.await(PATIENCE)).isInstanceOfSatisfying(ProduceException.class,
                        e -> assertThat(e.error().name()).isEqualTo("OUT_OF_ORDER_SEQUENCE_NUMBER"));
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(errors).anySatisfy(e -> {
                    assertThat(e.errorType()).isEqualTo("librdkafka.error");
                    assertThat(e.kafkaError().code()).isEqualTo(KafkaError.FATAL);
                }));
                assertThat(doomed.fatalError()).isNotNull()
                        .satisfies(e -> assertThat(e.name()).isEqualTo("OUT_OF_ORDER_SEQUENCE_NUMBER"));
                // librdkafka refuses every later message with the fatal error's own code.
                assertThatThrownBy(() -> doomed.produceSync(toTopic("after-fatal")))
                        .isInstanceOfSatisfying(ProduceException.class,
                                e -> assertThat(e.error().name()).isEqualTo("OUT_OF_ORDER_SEQUENCE_NUMBER"));

                for (int i = 0; i < 10; i++) {
                    assertThat(bystander.produceSync(toOthers("still-served-" + i)).isDelivered())
                            .isTrue();
                }
                assertThat(poller.stats().alive()).isTrue();
                assertThat(poller.stats().loopErrors()).isZero();
            }
        }
    }

    /** One partition, so offsets are the evidence (the mock cluster auto-creates topics with 4 partitions). */
    private static Message toTopic(String payload) {
        return Message.builder(TOPIC).partition(0).payload(payload).build();
    }

    private static Message toOthers(String payload) {
        return Message.builder("others").partition(0).payload(payload).build();
    }

    private static ProducerConfig.Builder idempotent(MockKafkaCluster cluster, PollingMode mode) {
        return ProducerConfig.builder()
                .name(CoreFixtures.uniqueName("mock-" + mode.name().toLowerCase()))
                .bootstrapServers(cluster.bootstrapServers())
                .pollingMode(mode)
                .closeTimeout(Duration.ofSeconds(5))
                .kafka("acks", "all")
                .kafka("enable.idempotence", "true")
                .kafka("retry.backoff.ms", "50")
                .kafka("log.connection.close", "false");
    }
}
