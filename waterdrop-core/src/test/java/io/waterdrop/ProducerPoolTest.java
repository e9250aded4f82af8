package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.MockKafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ProducerPool}: concurrent transactions on distinct members, all visible to a read_committed consumer;
 * a typed borrow timeout; fenced, failed and closed members replaced while the pool keeps working; close waits for
 * a running transaction.
 */
class ProducerPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ProducerConfig.Builder transactional(String prefix) {
        return brokerConfig(prefix, PollingMode.FD).kafka("transactional.id", prefix + "-" + UUID.randomUUID());
    }

    private static List<String> readCommitted(String topic, int expected) {
        return KafkaBroker.read(topic, expected, WAIT, true).stream().map(CoreFixtures::value).toList();
    }

    private static List<Event.PoolMemberReplaced> replacements(ProducerPool pool) {
        List<Event.PoolMemberReplaced> replaced = new CopyOnWriteArrayList<>();
        pool.monitor().subscribe(Event.PoolMemberReplaced.class, replaced::add);
        return replaced;
    }

    /** All 8 bodies wait for each other inside their transactions: 8 members really are borrowed at once. */
    @Test
    void eightConcurrentTransactionsCommitOnDistinctMembers() throws Exception {
        String topic = KafkaBroker.newTopic("pool-concurrent");
        ProducerConfig config = transactional("pool-concurrent").build();
        CountDownLatch allInside = new CountDownLatch(8);
        Set<String> members = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (ProducerPool pool = ProducerPool.builder(config).size(8).build()) {
            List<CompletableFuture<Void>> transactions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String value = "tx-" + i;
                transactions.add(CompletableFuture.runAsync(() -> pool.transaction(producer -> {
                    members.add(producer.name() + "/" + producer.config().kafka().get("transactional.id"));
                    producer.produceSync(Message.of(topic, value));
                    allInside.countDown();
                    assertThat(allInside.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    return null;
                }), threads));
            }
            CompletableFuture.allOf(transactions.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            String base = config.kafka().get("transactional.id");
            assertThat(members).hasSize(8).allSatisfy(m -> assertThat(m).matches(
                    config.name() + "-(\\d)/" + base + "-\\1"));
            assertThat(pool.members()).extracting(p -> p.pollingInfo().threadName())
                    .containsOnly("waterdrop.poller#0");
            assertThat(pool.stats()).isEqualTo(new ProducerPool.Stats(config.name(), 8, 0, 8, 0, 0, false));
        } finally {
            threads.shutdown();
        }
        assertThat(readCommitted(topic, 8)).containsExactlyInAnyOrder("tx-0", "tx-1", "tx-2", "tx-3", "tx-4",
                "tx-5", "tx-6", "tx-7");
    }

    /** No broker is needed: members connect on their first transaction. */
    @Test
    void borrowTimesOutWithATypedErrorAndAClosedMemberIsReplaced() {
        ProducerConfig config = transactional("pool-timeout").build();
        try (ProducerPool pool = ProducerPool.builder(config).size(1).borrowTimeout(Duration.ofMillis(200)).build()) {
            List<Event.PoolMemberReplaced> replaced = replacements(pool);
            Producer first;
            try (ProducerPool.Lease lease = pool.borrow(Duration.ofSeconds(1))) {
                first = lease.producer();
                assertThat(pool.stats().borrowed()).isEqualTo(1);
                assertThatThrownBy(() -> pool.transaction(producer -> null))
                        .isInstanceOf(PoolBorrowTimeoutException.class)
                        .hasMessage("Producer pool '" + config.name() + "': all 1 members stayed busy for 200 ms; "
                                + "make transactions shorter, raise the pool size, or borrow with a longer timeout");
                first.close();
            }
            assertThat(replaced).singleElement().satisfies(e -> {
                assertThat(e.producer()).isEqualTo(config.name() + "-0");
                assertThat(e.reason()).isEqualTo("the member was closed");
            });
            assertThat(pool.members()).singleElement().isNotSameAs(first)
                    .satisfies(p -> assertThat(p.state()).isEqualTo(ProducerState.INITIAL));
            assertThat(pool.stats().replaced()).isEqualTo(1);
        }
    }

    @Test
    void poolNeedsATransactionalIdAndAPositiveSize() {
        ProducerConfig plain = brokerConfig("pool-plain", PollingMode.FD).build();
        assertThatThrownBy(() -> new ProducerPool(plain, 2)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.key()).isEqualTo("kafka.transactional.id"));
        assertThatThrownBy(() -> new ProducerPool(transactional("pool-size").build(), 0))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key()).isEqualTo("pool-size"));
    }

    /**
     * Another client with member 0's transactional.id fences it: its next transaction fails, the member is replaced
     * by a fresh client with the same id (which fences the other client in turn), and the pool commits again.
     */
    @Test
    void fencedMemberIsReplacedAndThePoolKeepsWorking() {
        String topic = KafkaBroker.newTopic("pool-fenced");
        ProducerConfig config = transactional("pool-fenced").build();
        try (ProducerPool pool = new ProducerPool(config, 1)) {
            List<Event.PoolMemberReplaced> replaced = replacements(pool);
            pool.transaction(producer -> producer.produceSync(Message.of(topic, "before")));
            Producer fenced = pool.members().get(0);
            try (Producer other = new Producer(brokerConfig("pool-fencer", PollingMode.FD)
                    .kafka("transactional.id", fenced.config().kafka().get("transactional.id")).build())) {
                other.transaction(() -> other.produceSync(Message.of(topic, "other client")));
            }

            assertThatThrownBy(() -> pool.transaction(producer -> producer.produceAsync(Message.of(topic, "fenced"))))
                    .isInstanceOfSatisfying(TransactionException.class, e -> assertThat(e.isFatal()).isTrue());

            assertThat(replaced).singleElement().satisfies(e -> {
                assertThat(e.index()).isZero();
                assertThat(e.cause().name()).isEqualTo("_FENCED");
            });
            assertThat(fenced.state()).isEqualTo(ProducerState.CLOSED);
            pool.transaction(producer -> producer.produceSync(Message.of(topic, "after")));
            assertThat(pool.stats().replaced()).isEqualTo(1);
        }
        assertThat(readCommitted(topic, 3)).containsExactly("before", "other client", "after");
    }

    /**
     * A fatal error injected by librdkafka's mock cluster (INVALID_PRODUCER_EPOCH on AddPartitionsToTxn): the member
     * is replaced, and the next transaction commits on the fresh one (the mock cluster cannot be read back with the
     * Java consumer, so the broker's offsets are the evidence).
     */
    @Test
    void failedMemberIsReplacedAndThePoolKeepsWorking() {
        try (MockKafkaCluster cluster = new MockKafkaCluster(1)) {
            ProducerConfig config = ProducerConfig.builder()
                    .name(CoreFixtures.uniqueName("pool-failed"))
                    .bootstrapServers(cluster.bootstrapServers())
                    .kafka("transactional.id", "pool-failed-" + UUID.randomUUID())
                    .kafka("linger.ms", "1")
                    .maxWaitTimeout(WAIT)
                    .build();
            try (ProducerPool pool = new ProducerPool(config, 1)) {
                List<Event.PoolMemberReplaced> replaced = replacements(pool);
                Message message = Message.builder("pool-failed").partition(0).payload("x").build();
                pool.transaction(producer -> producer.produceAsync(message));
                cluster.pushRequestErrors(MockKafkaCluster.ADD_PARTITIONS_TO_TXN,
                        MockKafkaCluster.INVALID_PRODUCER_EPOCH);

                assertThatThrownBy(() -> pool.transaction(producer -> producer.produceAsync(message)))
                        .isInstanceOfSatisfying(TransactionException.class, e -> assertThat(e.isFatal()).isTrue());

                assertThat(replaced).singleElement().satisfies(e -> assertThat(e.cause().name()).isEqualTo("_FENCED"));
                DeliveryHandle after = pool.transaction(producer -> producer.produceAsync(message));
                assertThat(after.await().offset()).isEqualTo(1L);
            }
        }
    }

    @Test
    void closeWaitsForARunningTransactionThenClosesEveryMember() throws Exception {
        String topic = KafkaBroker.newTopic("pool-close");
        ProducerConfig config = transactional("pool-close").build();
        ProducerPool pool = new ProducerPool(config, 2);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> pool.transaction(producer -> {
            producer.produceSync(Message.of(topic, "running"));
            inside.countDown();
            return release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }));
        assertThat(inside.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> pool.close(WAIT));
        await().atMost(WAIT).until(() -> pool.stats().closed());
        assertThat(closing).isNotDone();
        assertThatThrownBy(() -> pool.transaction(producer -> null)).isInstanceOf(ProducerClosedException.class)
                .hasMessage("Producer pool '" + config.name() + "' is closed");

        release.countDown();
        assertThat(closing.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pool.members()).extracting(Producer::state).containsOnly(ProducerState.CLOSED);
        assertThat(pool.close(Duration.ZERO)).isTrue(); // idempotent: the first close's result
        assertThat(readCommitted(topic, 1)).containsExactly("running");
    }
}
