package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static io.waterdrop.CoreFixtures.unreachableConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every producer and Poller meter after known traffic, with the right values, and gone after close. */
class ProducerMeterBinderTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void metersCountKnownTrafficAndDisappearOnClose(PollingMode mode) {
        String topic = KafkaBroker.newTopic("meters");
        MeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = new Producer(brokerConfig("meters", mode).kafka("statistics.interval.ms", "100")
                .build());
        ProducerMeterBinder binder = new ProducerMeterBinder(producer, Tags.empty(), 1);
        binder.bindTo(registry);
        List<DeliveryHandle> handles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
        }
        handles.forEach(DeliveryHandle::await);

        String name = producer.name();
        assertThat(registry.get(ProducerMeterBinder.PRODUCED).tag("producer", name).functionCounter().count())
                .isEqualTo(20);
        assertThat(registry.get(ProducerMeterBinder.ACKNOWLEDGED).tag("producer", name).functionCounter().count())
                .isEqualTo(20);
        Timer latency = registry.get(ProducerMeterBinder.DELIVERY_LATENCY).tag("producer", name).timer();
        assertThat(latency.count()).isEqualTo(20);
        assertThat(latency.max(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get(ProducerMeterBinder.IN_FLIGHT).tag("producer", name).gauge().value()).isZero();
        // rd_kafka_outq_len also counts events waiting for a poll (a statistics emission every 100 ms here).
        await().atMost(WAIT).untilAsserted(() -> assertThat(registry.get(ProducerMeterBinder.QUEUE_LENGTH)
                .tag("producer", name).gauge().value()).isZero());
        assertThat(registry.get(ProducerMeterBinder.QUEUE_FULL_WAITS).tag("producer", name).functionCounter()
                .count()).isZero();
        assertThat(registry.find(ProducerMeterBinder.FAILED).meters()).isEmpty();

        // librdkafka's statistics: client totals and one set per broker
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(registry.find("waterdrop.producer.brokers.up").tag("producer", name).gauge().value())
                    .isEqualTo(1);
            assertThat(registry.find("waterdrop.librdkafka.broker.up").tag("producer", name).gauge().value())
                    .isEqualTo(1);
        });
        assertThat(registry.get("waterdrop.producer.brokers.known").tag("producer", name).gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("waterdrop.librdkafka.requests.sent").tag("producer", name).functionCounter()
                .count()).isPositive();
        assertThat(registry.get("waterdrop.librdkafka.messages.queued").tag("producer", name).gauge().value())
                .isZero();
        assertThat(registry.get("waterdrop.librdkafka.messages.queued.size").tag("producer", name).gauge().value())
                .isZero();
        Meter rtt = registry.get("waterdrop.librdkafka.broker.rtt.avg").tag("producer", name).gauge();
        assertThat(rtt.getId().getTag("broker")).matches(".+:\\d+/0");
        assertThat(registry.get("waterdrop.librdkafka.broker.rtt.p99").tag("producer", name).gauge().value())
                .isGreaterThanOrEqualTo(0);
        assertThat(registry.get("waterdrop.librdkafka.broker.requests.retried").tag("producer", name)
                .functionCounter().count()).isZero();
        assertThat(registry.get("waterdrop.librdkafka.broker.requests.failed").tag("producer", name)
                .functionCounter().count()).isZero();

        ProducerMetrics metrics = producer.metrics();
        assertThat(metrics.produced()).isEqualTo(20);
        assertThat(metrics.acknowledged()).isEqualTo(20);
        assertThat(metrics.failed()).isZero();
        assertThat(metrics.inFlight()).isZero();
        assertThat(metrics.lastError()).isNull();

        producer.close();
        assertThat(registry.getMeters()).as("every meter of a closed producer is removed")
                .noneMatch(m -> name.equals(m.getId().getTag("producer")));
        assertThat(binder.isRegistered()).isFalse();
        binder.close();
    }

    @Test
    void failedDeliveriesAreCountedByLibrdkafkaErrorName() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Producer producer = new Producer(unreachableConfig("meters-failed", PollingMode.FD)
                .kafka("message.timeout.ms", "300").build());
                ProducerMeterBinder binder = new ProducerMeterBinder(producer)) {
            binder.bindTo(registry);
            DeliveryHandle first = producer.produceAsync(Message.of("nowhere", "a"));
            DeliveryHandle second = producer.produceAsync(Message.of("nowhere", "b"));
            await().atMost(WAIT).until(() -> first.isDone() && second.isDone());

            assertThat(registry.get(ProducerMeterBinder.FAILED).tag("producer", producer.name())
                    .tag("error", "_MSG_TIMED_OUT").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get(ProducerMeterBinder.ACKNOWLEDGED).functionCounter().count()).isZero();
            ProducerMetrics metrics = producer.metrics();
            assertThat(metrics.failedByError()).containsExactly(java.util.Map.entry("_MSG_TIMED_OUT", 2L));
            // The last error is a delivery failure or a later connection error, whichever came last.
            assertThat(metrics.lastError().type()).isIn("librdkafka.dispatch_error", "librdkafka.error");
            assertThat(metrics.lastError().at()).isNotNull();
        }
    }

    @Test
    void latencyTimerTimesOneMessageInTheSampleInterval() {
        String topic = KafkaBroker.newTopic("meters-sampled");
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Producer producer = new Producer(brokerConfig("meters-sampled", PollingMode.FD).build());
                ProducerMeterBinder binder = new ProducerMeterBinder(producer, Tags.empty(), 16)) {
            binder.bindTo(registry);
            List<DeliveryHandle> handles = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                handles.add(producer.produceAsync(Message.of(topic, "m" + i)));
            }
            handles.forEach(DeliveryHandle::await);
            assertThat(registry.get(ProducerMeterBinder.DELIVERY_LATENCY).timer().count()).isEqualTo(4);
            assertThat(registry.get(ProducerMeterBinder.ACKNOWLEDGED).functionCounter().count()).isEqualTo(64);
        }
    }

    @Test
    void latencySampleIntervalMustBeAPowerOfTwo() {
        try (Producer producer = new Producer(brokerConfig("meters-interval", PollingMode.FD).build())) {
            assertThatIllegalArgumentException().isThrownBy(() -> new ProducerMeterBinder(producer, Tags.empty(), 10))
                    .withMessage("latency sample interval must be a power of two >= 1 but was 10");
        }
    }

    @Test
    void reopenedProducerGetsItsMetersBack() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Producer producer = new Producer(brokerConfig("meters-reopen", PollingMode.FD).build());
        try (ProducerMeterBinder binder = new ProducerMeterBinder(producer)) {
            binder.bindTo(registry);
            producer.connect();
            producer.close();
            assertThat(registry.find(ProducerMeterBinder.PRODUCED).meters()).isEmpty();

            producer.reopen();
            producer.connect();
            assertThat(registry.get(ProducerMeterBinder.PRODUCED).tag("producer", producer.name())
                    .functionCounter()).isNotNull();
            producer.close();
        }
    }

    @Test
    void pollerMetersFollowTheLoop() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Poller poller = new Poller(Duration.ofMillis(50));
        String topic = KafkaBroker.newTopic("poller-meters");
        try (PollerMeterBinder binder = new PollerMeterBinder(poller, "dedicated")) {
            binder.bindTo(registry);
            try (Producer producer = new Producer(brokerConfig("poller-meters", PollingMode.FD).poller(poller)
                    .build())) {
                producer.produceSync(Message.of(topic, "x"));
                assertThat(registry.get("waterdrop.poller.producers").tag("poller", "dedicated").gauge().value())
                        .isEqualTo(1);
                await().atMost(WAIT).untilAsserted(() -> assertThat(registry.get("waterdrop.poller.iterations")
                        .tag("poller", "dedicated").functionCounter().count()).isGreaterThan(1));
                assertThat(registry.get("waterdrop.poller.wakeups").functionCounter().count()).isPositive();
                assertThat(registry.get("waterdrop.poller.serving").timer().count()).isPositive();
                assertThat(registry.get("waterdrop.poller.loop.age").gauge().value()).isLessThan(30);
                assertThat(registry.get("waterdrop.poller.budget.exhaustions").functionCounter()).isNotNull();
                assertThat(registry.get("waterdrop.poller.periodic.polls").functionCounter()).isNotNull();
                assertThat(registry.get("waterdrop.poller.timeout.polls").functionCounter().count()).isPositive();
                assertThat(registry.get("waterdrop.poller.loop.errors").functionCounter().count()).isZero();
                assertThat(registry.get("waterdrop.poller.restarts").functionCounter().count()).isZero();
            }
            assertThat(registry.get("waterdrop.poller.producers").gauge().value()).isZero();
        }
        assertThat(registry.getMeters()).isEmpty();
    }
}
