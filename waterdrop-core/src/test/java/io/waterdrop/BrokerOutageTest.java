package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.BrokerProcess;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broker that goes away: stopped in the middle of a steady stream and started again on the same port with the
 * same data (nothing acknowledged is lost or duplicated), and down for longer than {@code message.timeout.ms}
 * (every handle fails with {@code _MSG_TIMED_OUT}, nothing hangs, and the producer works again once the broker is
 * back). The broker runs in a child process ({@link BrokerProcess}) because only a process can be restarted on the
 * same port and log directory.
 */
class BrokerOutageTest {

    /** Messages per second. */
    private static final int RATE = 5_000;
    /** The broker is stopped after 2 s of traffic. */
    private static final int STOP_AFTER = 10_000;
    /**
     * The stream goes on for this many messages (2 s) after the broker is back, however long the restart took (4 s on
     * a quiet machine, over 10 s on a loaded one), so every run covers before, during and after the outage.
     */
    private static final int AFTER_RESTART = Integer.getInteger("waterdrop.test.outage.after", 10_000);
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void brokerRestartedMidStreamLosesAndDuplicatesNothingAcknowledged(PollingMode mode) throws Exception {
        String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "outage", 3);
        Producer producer = Producer.create(config(mode, "restart")
                .kafka("message.timeout.ms", "300000")
                .maxWaitTimeout(PATIENCE)
                .build());
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        int queueFull = 0;
        int accepted = 0;
        CompletableFuture<Void> outage = null;
        int sentWhenBack = -1;
        int sent = 0;
        long start = System.nanoTime();
        try {
            long giveUp = start + PATIENCE.toNanos(); // a restart that never ends fails below instead of looping
            for (int i = 0; (sentWhenBack < 0 || i < sentWhenBack + AFTER_RESTART) && System.nanoTime() < giveUp; i++) {
                pace(start, i);
                if (i == STOP_AFTER) {
                    // Stop and start from another thread: the stream keeps its pace through the whole outage.
                    outage = CompletableFuture.runAsync(() -> {
                        broker.stop();
                        broker.restart();
                    });
                }
                if (sentWhenBack < 0 && outage != null && outage.isDone()) {
                    sentWhenBack = i;
                }
                String id = "id-" + i;
                try {
                    producer.produceAsync(Message.builder(topic).key(id).payload(id).build())
                            .whenComplete((report, error) -> {
                                if (error == null) {
                                    acknowledged.put(id, Boolean.TRUE);
                                } else {
                                    failed.put(id, String.valueOf(error));
                                }
                                completed.incrementAndGet();
                            });
                    accepted++;
                } catch (QueueFullException e) {
                    queueFull++; // the one refusal allowed: the message was never accepted
                }
                sent++;
            }
            outage.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            int acceptedTotal = accepted;
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(completed.get()).isEqualTo(acceptedTotal));
        } finally {
            producer.close();
        }
        System.out.printf("outage/%s: %d messages at %d/s, broker stopped after %d and back after %d were sent;"
                + " accepted %d, QueueFullException %d, acknowledged %d, failed %d, %d ms%n", mode, sent, RATE,
                STOP_AFTER, sentWhenBack, accepted, queueFull, acknowledged.size(), failed.size(),
                (System.nanoTime() - start) / 1_000_000);

        assertThat(failed).as("handles that failed (acks=all, idempotence, message.timeout.ms 300 s)").isEmpty();
        assertThat(accepted + queueFull).isEqualTo(sent);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(broker.bootstrapServers(), topic,
                acknowledged.size(), PATIENCE, false);
        Map<String, Integer> copies = new ConcurrentHashMap<>();
        records.forEach(record -> copies.merge(new String(record.value()), 1, Integer::sum));
        assertThat(copies.keySet()).as("ids in the topic").containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        assertThat(copies).as("ids written more than once").allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void brokerDownLongerThanMessageTimeoutFailsEveryHandleWithTimedOut(PollingMode mode) throws Exception {
        String topic = KafkaBroker.newTopic(broker.bootstrapServers(), "down", 1);
        Producer producer = Producer.create(config(mode, "down")
                .kafka("message.timeout.ms", "3000")
                .build());
        List<String> waterdropThreadsBefore = FdTestSupport.threadsNamed("waterdrop.");
        try {
            assertThat(producer.produceSync(Message.of(topic, "before")).isDelivered()).isTrue();
            broker.stop();
            List<DeliveryHandle> handles = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                handles.add(producer.produceAsync(Message.of(topic, "while-down-" + i)));
            }
            assertThat(handles).allSatisfy(handle -> assertThatThrownBy(() -> handle.await(PATIENCE))
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> assertThat(e.error().code()).isEqualTo(KafkaError.MSG_TIMED_OUT)));
            assertThat(producer.pendingDeliveries()).isZero();

            broker.restart();
            assertThat(producer.produceSync(Message.of(topic, "after")).isDelivered())
                    .as("the same producer delivers once the broker is back").isTrue();
        } finally {
            if (!broker.isRunning()) {
                broker.restart();
            }
            assertThat(producer.closeAsync().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
        assertThat(producer.state()).isEqualTo(ProducerState.CLOSED);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(FdTestSupport.threadsNamed("waterdrop.native_kafka#"
                + producer.name())).as("polling thread of the closed producer").isEmpty());
        assertThat(FdTestSupport.threadsNamed("waterdrop.")).isSubsetOf(waterdropThreadsBefore);
        assertThat(KafkaBroker.read(broker.bootstrapServers(), topic, 2, PATIENCE, false))
                .extracting(CoreFixtures::value).containsExactly("before", "after");
    }

    private static ProducerConfig.Builder config(PollingMode mode, String prefix) {
        return ProducerConfig.builder()
                .name(CoreFixtures.uniqueName(prefix + "-" + mode.name().toLowerCase()))
                .bootstrapServers(broker.bootstrapServers())
                .pollingMode(mode)
                .kafka("acks", "all")
                .kafka("enable.idempotence", "true")
                .kafka("linger.ms", "5")
                .kafka("reconnect.backoff.max.ms", "1000")
                .kafka("log.connection.close", "false");
    }

    /** Waits until message {@code i} is due, so the stream keeps a steady {@link #RATE}. */
    private static void pace(long start, int i) throws InterruptedException {
        long due = start + i * 1_000_000_000L / RATE;
        long early = due - System.nanoTime();
        if (early > 1_000_000) {
            TimeUnit.NANOSECONDS.sleep(early);
        }
    }
}
