package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Middleware}: runs in chain order on the producing thread before validation, may change and route a
 * message, and a rejection or failure is a typed error that sends nothing and leaves the producer usable. Every
 * outcome is checked in Kafka.
 */
class MiddlewareTest {

    private static final RecordReader READER = new RecordReader();

    @AfterAll
    static void closeReader() {
        READER.close();
    }

    private static Middleware step(String name) {
        return Middleware.named(name, message -> message.toBuilder().header("step", name).build());
    }

    private static List<String> steps(ConsumerRecord<byte[], byte[]> record) {
        return java.util.stream.StreamSupport.stream(record.headers().headers("step").spliterator(), false)
                .map(Header::value).map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    private static ConsumerRecord<byte[], byte[]> read(DeliveryReport report) {
        return READER.read(report.topic(), report.partition(), report.offset());
    }

    @Test
    void middlewareRunsInChainOrderOnTheProducingThreadAndMayRoute() {
        String requested = KafkaBroker.newTopic("mw-requested");
        String routed = KafkaBroker.newTopic("mw-routed");
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("mw-order", PollingMode.FD)
                .middleware(step("from-config"))
                .build())) {
            producer.middleware()
                    .append(step("appended"))
                    .append(Middleware.named("route", message -> {
                        threads.add(Thread.currentThread().getName());
                        return Message.builder(routed).payload(message.payload()).headers(message.headers()).build();
                    }))
                    .prepend(step("prepended"));

            DeliveryReport sync = producer.produceSync(Message.of(requested, "sync"));
            DeliveryReport async = producer.produceAsync(Message.of(requested, "async")).await();
            List<DeliveryReport> many = producer.produceManySync(List.of(Message.of(requested, "many")));

            for (DeliveryReport report : List.of(sync, async, many.get(0))) {
                assertThat(report.topic()).isEqualTo(routed);
                assertThat(steps(read(report))).containsExactly("prepended", "from-config", "appended");
            }
            assertThat(threads).containsOnly(Thread.currentThread().getName()).hasSize(3);
            assertThat(producer.middleware().list()).extracting(Middleware::name)
                    .containsExactly("prepended", "from-config", "appended", "route");
        }
    }

    /**
     * A rejection in produceManySync sends nothing of the batch: the marker sent afterwards is the topic's first
     * record. The same producer then delivers.
     */
    @Test
    void rejectionIsTypedSendsNothingOfTheBatchAndTheProducerStaysUsable() {
        String topic = KafkaBroker.newTopic("mw-reject");
        try (Producer producer = new Producer(brokerConfig("mw-reject", PollingMode.FD).build())) {
            producer.middleware().append(Middleware.named("require-key", message -> {
                if (message.key() == null) {
                    throw new InvalidMessageException("key", "is required on " + message.topic());
                }
                return message;
            }));
            List<Message> batch = List.of(Message.builder(topic).key("1").payload("first").build(),
                    Message.of(topic, "no key"), Message.builder(topic).key("3").payload("third").build());

            assertThatThrownBy(() -> producer.produceManySync(batch))
                    .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                        assertThat(e.middleware()).isEqualTo("require-key");
                        assertThat(e.field()).isEqualTo("middleware");
                        assertThat(e).hasMessage("Invalid message: middleware 'require-key' of producer '"
                                + producer.name() + "' rejected it: Invalid message: key is required on " + topic);
                    });
            assertThatThrownBy(() -> producer.produceAsync(Message.of(topic, "no key")))
                    .isInstanceOf(MessageRejectedException.class);
            assertThat(producer.metrics().produced()).isZero();

            DeliveryReport marker = producer.produceSync(Message.builder(topic).key("m").payload("marker").build());
            assertThat(marker.offset()).isZero();
            assertThat(CoreFixtures.value(read(marker))).isEqualTo("marker");
        }
    }

    @Test
    void nullResultAndUnexpectedExceptionsAreTypedWithTheirCause() {
        String topic = KafkaBroker.newTopic("mw-broken");
        try (Producer producer = new Producer(brokerConfig("mw-broken", PollingMode.THREAD).build())) {
            Middleware returnsNull = Middleware.named("returns-null", message -> null);
            producer.middleware().append(returnsNull);
            assertThatThrownBy(() -> producer.produceSync(Message.of(topic, "x")))
                    .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                        assertThat(e.middleware()).isEqualTo("returns-null");
                        assertThat(e).hasMessageContaining("returned null").hasNoCause();
                    });
            assertThat(producer.middleware().remove(returnsNull)).isTrue();

            IllegalStateException bug = new IllegalStateException("tenant lookup failed");
            producer.middleware().append(message -> {
                throw bug;
            });
            assertThatThrownBy(() -> producer.produceAsync(Message.of(topic, "x")))
                    .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                        assertThat(e.middleware()).startsWith("lambda in MiddlewareTest");
                        assertThat(e).hasMessageContaining("failed: " + bug).hasCause(bug);
                    });

            producer.middleware().list().forEach(producer.middleware()::remove);
            assertThat(producer.middleware().isEmpty()).isTrue();
            DeliveryReport report = producer.produceSync(Message.of(topic, "after"));
            assertThat(report.offset()).isZero();
        }
    }

    /** With no middleware the producer sends the very message it was given (nothing copied). */
    @Test
    void emptyChainPassesTheMessageThrough() {
        String topic = KafkaBroker.newTopic("mw-empty");
        try (Producer producer = new Producer(brokerConfig("mw-empty", PollingMode.FD).build())) {
            Message message = Message.of(topic, "as is");
            DeliveryHandle handle = producer.produceAsync(message);
            assertThat(handle.message()).isSameAs(message);
            assertThat(CoreFixtures.value(read(handle.await()))).isEqualTo("as is");
        }
    }
}
