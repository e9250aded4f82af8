package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.Event;
import io.waterdrop.Message;
import io.waterdrop.PoolBorrowTimeoutException;
import io.waterdrop.Producer;
import io.waterdrop.ProducerPool;
import io.waterdrop.ProducerState;
import io.waterdrop.TransactionException;
import io.waterdrop.spring.WaterDropTransactionManager;
import io.waterdrop.spring.autoconfigure.WaterDropTransactionManagerTests.FakeDatabaseTransactionManager;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code @Transactional("payments")} over a pool of two transactional producers ({@code pool-size: 2}) on a real
 * broker, read back by a read_committed consumer: one member per transaction, given back when it ends. One
 * application context for the class; each test uses its own topic.
 */
class PoolTransactionManagerTests {

    private static final String TRANSACTIONAL_ID = "payments-" + System.nanoTime();

    private static ConfigurableApplicationContext context;
    private static Payments tx;
    private static ProducerPool pool;
    private static FakeDatabaseTransactionManager database;

    private String topic;

    /** This test's topic, created on first use (by the test's own thread). */
    private String topic() {
        if (this.topic == null) {
            this.topic = KafkaBroker.newTopic("spring-pool-tx");
        }
        return this.topic;
    }

    @BeforeAll
    static void startApplication() {
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
            .properties("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                    "waterdrop.producers.payments.pool-size=2",
                    "waterdrop.producers.payments.kafka.transactional.id=" + TRANSACTIONAL_ID)
            .run();
        tx = context.getBean(Payments.class);
        pool = context.getBean("waterdrop.producers.payments", ProducerPool.class);
        database = context.getBean(FakeDatabaseTransactionManager.class);
    }

    @AfterAll
    static void stopApplication() {
        context.close();
    }

    @Test
    void whenTheMethodThrowsAfterProducingNothingIsVisibleAndTheMemberGoesBack() {
        IllegalStateException failure = new IllegalStateException("payment refused");
        assertThatThrownBy(() -> tx.required(() -> {
            send("aborted");
            throw failure;
        })).isSameAs(failure);
        assertThat(pool.stats().borrowed()).isZero();
        tx.required(() -> {
            send("marker");
            return null;
        }); // committed after the aborted record: read_committed sees only it
        assertThat(committed(1)).containsExactly("marker");
    }

    @Test
    void whenTwoMethodsRunAtOnceEachGetsItsOwnMemberAndBothCommitAndGiveItBack() throws Exception {
        topic(); // created before the threads use it
        CyclicBarrier bothInside = new CyclicBarrier(2);
        Function<String, Supplier<Producer>> method = (value) -> () -> tx.required(() -> {
            send(value);
            await(bothInside); // both transactions are open at once
            return current();
        });
        CompletableFuture<Producer> first = CompletableFuture.supplyAsync(method.apply("first"));
        CompletableFuture<Producer> second = CompletableFuture.supplyAsync(method.apply("second"));
        List<Producer> members = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
        assertThat(members).extracting(Producer::name).containsExactlyInAnyOrder("payments-0", "payments-1");
        assertThat(members).extracting((member) -> member.config().kafka().get("transactional.id"))
            .containsExactlyInAnyOrder(TRANSACTIONAL_ID + "-0", TRANSACTIONAL_ID + "-1");
        assertThat(pool.stats().borrowed()).isZero();
        assertThat(committed(2)).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void whenRequiresNewRunsInsideItGetsTheSecondMemberAndBothCommit() {
        tx.required(() -> {
            send("outer");
            Producer outer = current();
            Producer inner = tx.requiresNew(() -> {
                send("inner");
                return current();
            });
            assertThat(inner.name()).isNotEqualTo(outer.name());
            assertThat(current()).isSameAs(outer); // the outer one is bound again
            send("outer-after");
            return null;
        });
        assertThat(committed(3)).containsExactlyInAnyOrder("inner", "outer", "outer-after");
    }

    @Test
    void whenEveryMemberIsBusyBeginWaitsUpToTheTimeoutThenFailsWithThePoolsError() {
        tx.required(() -> tx.requiresNew(() -> {
            send("both-members-busy");
            assertThatExceptionOfType(CannotCreateTransactionException.class)
                .isThrownBy(() -> tx.requiresNewWithin1s(() -> send("third")))
                .withMessageContaining("all 2 members stayed busy for 1000 ms")
                .withCauseInstanceOf(PoolBorrowTimeoutException.class);
            return null;
        }));
        assertThat(pool.stats().borrowed()).isZero();
    }

    @Test
    void whenTheLentMemberIsFencedTheCommitFailsAndThePoolReplacesIt() {
        List<Event.PoolMemberReplaced> replaced = new CopyOnWriteArrayList<>();
        pool.monitor().subscribe((event) -> {
            if (event instanceof Event.PoolMemberReplaced replacement) {
                replaced.add(replacement);
            }
        });
        AtomicReference<Producer> fenced = new AtomicReference<>();
        assertThatExceptionOfType(TransactionSystemException.class).isThrownBy(() -> tx.required(() -> {
            send("fenced");
            fenced.set(current());
            // Another client with the member's transactional.id fences it (init_transactions bumps the epoch).
            try (Producer other = new Producer(pool.config().toBuilder().name("payments-fencer")
                    .kafka("transactional.id", fenced.get().config().kafka().get("transactional.id")).build())) {
                other.transaction(() -> other.produceSync(Message.of(topic(), "other client")));
            }
            return null;
        })).withCauseInstanceOf(TransactionException.class)
            .satisfies((e) -> assertThat(((TransactionException) e.getCause()).isFatal()).isTrue());
        assertThat(replaced).singleElement().satisfies((e) -> assertThat(e.producer()).isEqualTo(fenced.get().name()));
        assertThat(fenced.get().state()).isEqualTo(ProducerState.CLOSED);
        assertThat(pool.members()).doesNotContain(fenced.get());
        assertThat(pool.stats().borrowed()).isZero();
        assertThat(committed(1)).containsExactly("other client");
    }

    @Test
    void whenNoTransactionOfThePoolRunsCurrentProducerFailsNamingWhatToDo() {
        assertThatExceptionOfType(NoTransactionException.class).isThrownBy(PoolTransactionManagerTests::current)
            .withMessageContaining("@Transactional(\"payments\")")
            .withMessageContaining("pool.transaction(producer -> ...)");
        assertThat(pool.stats().borrowed()).isZero();
    }

    @Test
    void whenProducingInsideAnotherManagersTransactionTheMemberCommitsAfterIt() {
        int commitsBefore = database.commits;
        tx.database(() -> {
            send("with-database");
            assertThat(pool.stats().borrowed()).isEqualTo(1);
        });
        assertThat(database.commits).isEqualTo(commitsBefore + 1);
        assertThat(pool.stats().borrowed()).isZero();
        assertThat(committed(1)).containsExactly("with-database");
    }

    private static Producer current() {
        return WaterDropTransactionManager.currentProducer(pool);
    }

    private void send(String value) {
        current().produceSync(Message.of(topic(), value));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("the other transaction did not start", ex);
        }
    }

    private List<String> committed(int expected) {
        return KafkaBroker.read(topic(), expected, Duration.ofSeconds(30), true)
            .stream()
            .map((r) -> new String(r.value(), StandardCharsets.UTF_8))
            .toList();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ WaterDropAutoConfiguration.class, WaterDropTransactionAutoConfiguration.class,
            TransactionAutoConfiguration.class })
    static class Application {

        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        FakeDatabaseTransactionManager database() {
            return new FakeDatabaseTransactionManager();
        }
    }

    /** Each method runs its body with one propagation over the pool; {@code database} with the other manager. */
    public static class Payments {

        @Transactional("payments")
        public <T> T required(Supplier<T> body) {
            return body.get();
        }

        @Transactional(value = "payments", propagation = Propagation.REQUIRES_NEW)
        public <T> T requiresNew(Supplier<T> body) {
            return body.get();
        }

        @Transactional(value = "payments", propagation = Propagation.REQUIRES_NEW, timeout = 1)
        public void requiresNewWithin1s(Runnable body) {
            body.run();
        }

        @Transactional("database")
        public void database(Runnable body) {
            body.run();
        }
    }
}
