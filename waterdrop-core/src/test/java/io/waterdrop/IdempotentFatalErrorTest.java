package io.waterdrop;

import static io.waterdrop.test.MockKafkaCluster.OUT_OF_ORDER_SEQUENCE_NUMBER;
import static io.waterdrop.test.MockKafkaCluster.PRODUCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.MockKafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An idempotent producer whose head-of-line Produce request fails with OUT_OF_ORDER_SEQUENCE_NUMBER raises a fatal
 * error (librdkafka can no longer guarantee order or once-ness): without reload every later send fails with that
 * error; with {@code reload-on-idempotent-fatal-error} the next send re-creates the client and is delivered.
 */
class IdempotentFatalErrorTest {

    private final MockKafkaCluster cluster = new MockKafkaCluster(3);
    private Producer producer;

    @AfterEach
    void closeAll() {
        if (producer != null) {
            producer.forceClose();
        }
        cluster.close();
    }

    private Producer idempotent(String name, boolean reload) {
        producer = Producer.create(ProducerConfig.builder()
                .name(CoreFixtures.uniqueName(name))
                .bootstrapServers(cluster.bootstrapServers())
                .pollingMode(PollingMode.FD)
                .kafka("enable.idempotence", "true")
                .kafka("linger.ms", "1")
                .reloadOnIdempotentFatalError(reload)
                .fatalErrorReloadBackoff(Duration.ofMillis(100))
                .maxWaitTimeout(Duration.ofSeconds(30))
                .build());
        return producer;
    }

    private static Message onPartitionZero(String value) {
        return Message.builder("idempotent").partition(0).payload(value).build();
    }

    /** Delivers one message, then makes the next Produce request fail so librdkafka raises its fatal error. */
    private void makeFatal(Producer producer) {
        List<Event.ErrorOccurred> fatal = new CopyOnWriteArrayList<>();
        producer.monitor().subscribe(Event.ErrorOccurred.class, e -> {
            if (e.kafkaError() != null && e.kafkaError().code() == KafkaError.FATAL) {
                fatal.add(e);
            }
        });
        assertThat(producer.produceSync(onPartitionZero("first")).offset()).isZero();
        cluster.pushRequestErrors(PRODUCE, OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThatThrownBy(() -> producer.produceSync(onPartitionZero("desynchronized")))
                .isInstanceOf(ProduceException.class);
        // librdkafka's error callback announces it (error.occurred librdkafka.error _FATAL) on the polling thread.
        await().atMost(Duration.ofSeconds(30)).until(() -> !fatal.isEmpty());
        assertThat(fatal.get(0).errorType()).isEqualTo("librdkafka.error");
        assertThat(producer.fatalError()).isNotNull();
    }

    @Test
    void withoutReloadEverySendAfterTheFatalErrorFails() {
        Producer producer = idempotent("idempotent-fatal", false);
        makeFatal(producer);

        // librdkafka still accepts the message and fails it with the fatal error in its delivery report.
        assertThatThrownBy(() -> producer.produceSync(onPartitionZero("after")))
                .isInstanceOfSatisfying(ProduceException.class,
                        e -> assertThat(e.error().name()).isEqualTo("OUT_OF_ORDER_SEQUENCE_NUMBER"));
        assertThat(producer.fatalError()).isNotNull();
    }

    @Test
    void withReloadTheNextSendRecreatesTheClientAndIsDelivered() {
        Producer producer = idempotent("idempotent-reload", true);
        List<Event> reloads = new CopyOnWriteArrayList<>();
        producer.monitor().subscribe(Event.ProducerReloaded.class, reloads::add);
        makeFatal(producer);

        DeliveryReport report = producer.produceSync(onPartitionZero("after reload"));

        assertThat(report.isDelivered()).isTrue();
        assertThat(report.offset()).as("after 'first' and whatever the fatal request left").isPositive();
        assertThat(reloads).singleElement().isInstanceOfSatisfying(Event.ProducerReloaded.class, reloaded -> {
            assertThat(reloaded.attempt()).isEqualTo(1);
            assertThat(reloaded.cause().code()).isEqualTo(KafkaError.FATAL);
        });
        assertThat(producer.fatalError()).isNull();
    }
}
