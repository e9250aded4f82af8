package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static io.waterdrop.FdTestSupport.openFileDescriptors;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** fd-mode producers doing what applications do (WaterDrop's fd scenarios): idempotence, transactions, batches. */
class FdProducerTest {

    @Test
    void idempotentProducerWritesHundredMessagesWithoutDuplicates() {
        String topic = KafkaBroker.newTopic("idempotent", 3);
        List<DeliveryReport> reports = new ArrayList<>();
        try (Producer producer = Producer.create(fdConfig().name("idempotent")
                .kafka("enable.idempotence", "true").build())) {
            List<DeliveryHandle> handles = IntStream.range(0, 100)
                    .mapToObj(i -> producer.produceAsync(Message.builder(topic).key("k" + (i % 7))
                            .payload("m" + i).build()))
                    .toList();
            handles.forEach(handle -> reports.add(handle.await()));
        }

        assertThat(reports).allMatch(DeliveryReport::isDelivered);
        assertThat(reports).extracting(r -> r.partition() + "@" + r.offset()).doesNotHaveDuplicates().hasSize(100);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 100);
        assertThat(records).hasSize(100);
        assertThat(records).extracting(r -> r.partition() + "@" + r.offset()).doesNotHaveDuplicates();
        assertThat(records).extracting(r -> new String(r.value())).doesNotHaveDuplicates();
    }

    @Test
    void tenTransactionsOfFiveMessagesAreCommitted() {
        String topic = KafkaBroker.newTopic("transactions");
        try (Producer producer = Producer.create(fdConfig().name("transactional")
                .kafka("transactional.id", "fd-tx-" + topic).build())) {
            runTransactions(producer, topic, "tx");
        }
        List<ConsumerRecord<byte[], byte[]>> committed = KafkaBroker.read(topic, 50, PATIENCE, true);
        assertThat(committed).extracting(r -> new String(r.value()))
                .containsExactlyInAnyOrderElementsOf(expectedTransactionPayloads("tx"));
    }

    @Test
    void twoTransactionalProducersCommitInParallel() throws Exception {
        String topic = KafkaBroker.newTopic("parallel-transactions");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Producer first = Producer.create(fdConfig().name("tx-first")
                        .kafka("transactional.id", "fd-tx-a-" + topic).build());
                Producer second = Producer.create(fdConfig().name("tx-second")
                        .kafka("transactional.id", "fd-tx-b-" + topic).build())) {
            Future<?> a = pool.submit(() -> runTransactions(first, topic, "a"));
            Future<?> b = pool.submit(() -> runTransactions(second, topic, "b"));
            a.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            b.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<String> expected = new ArrayList<>(expectedTransactionPayloads("a"));
        expected.addAll(expectedTransactionPayloads("b"));
        assertThat(KafkaBroker.read(topic, 100, PATIENCE, true)).extracting(r -> new String(r.value()))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static void runTransactions(Producer producer, String topic, String prefix) {
        for (int t = 0; t < 10; t++) {
            int transaction = t;
            producer.transaction(() -> {
                for (int m = 0; m < 5; m++) {
                    producer.produceAsync(Message.of(topic, prefix + "-" + transaction + "-" + m));
                }
                return null;
            });
        }
    }

    private static List<String> expectedTransactionPayloads(String prefix) {
        List<String> payloads = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            for (int m = 0; m < 5; m++) {
                payloads.add(prefix + "-" + t + "-" + m);
            }
        }
        return payloads;
    }

    /** WaterDrop issue 853: the second produce_many_sync call hung. */
    @Test
    void repeatedProduceManySyncCallsAllComplete() {
        String topic = KafkaBroker.newTopic("many-sync");
        try (Producer producer = Producer.create(fdConfig().name("many-sync")
                .maxWaitTimeout(Duration.ofSeconds(20)).build())) {
            for (int call = 0; call < 5; call++) {
                int batch = call;
                List<Message> messages = IntStream.range(0, 50)
                        .mapToObj(i -> Message.of(topic, "call-" + batch + "-" + i)).toList();
                List<DeliveryReport> reports = producer.produceManySync(messages);
                assertThat(reports).as("call %d", call).hasSize(50).allMatch(DeliveryReport::isDelivered);
            }
        }
        assertThat(KafkaBroker.read(topic, 250)).hasSize(250);
    }

    /** Each fd producer owns a pipe: create/close cycles must give every fd back (librdkafka's included). */
    @Test
    void twentyCreateCloseCyclesDoNotLeakFileDescriptors() {
        String topic = KafkaBroker.newTopic("fd-leak");
        Poller poller = new Poller();
        cycle(topic, poller, "warm-up"); // first-use costs (library loading, broker-side buffers) out of the count
        int before = openFileDescriptors();

        for (int i = 0; i < 20; i++) {
            cycle(topic, poller, "cycle-" + i);
        }

        int after = openFileDescriptors();
        System.out.printf("fd leak: %d open fds before 20 create/close cycles, %d after%n", before, after);
        assertThat(after - before).as("fds added by 20 create/close cycles").isLessThanOrEqualTo(4);
        assertThat(KafkaBroker.read(topic, 21)).hasSize(21);
    }

    private static void cycle(String topic, Poller poller, String name) {
        try (Producer producer = Producer.create(fdConfig(poller).name("fd-leak-" + name).build())) {
            producer.produceSync(Message.of(topic, name));
        }
    }
}
