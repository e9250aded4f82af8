package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.Event;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import io.waterdrop.Producer;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * {@code @Transactional("orders")} on a real broker, as a read_committed consumer sees it: commit, rollback,
 * propagation, and Spring's synchronisation with another (database-like) transaction manager. One application
 * context for the class: each test uses its own topic.
 */
class WaterDropTransactionManagerTests {

    private static ConfigurableApplicationContext context;
    private static Transactions tx;
    private static Producer orders;
    private static FakeDatabaseTransactionManager database;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    private String topic;

    @BeforeAll
    static void startApplication() {
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
            .properties("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                    "waterdrop.producers.orders.kafka.transactional.id=orders-" + System.nanoTime())
            .run();
        tx = context.getBean(Transactions.class);
        orders = context.getBean("waterdrop.producers.orders", Producer.class);
        database = context.getBean(FakeDatabaseTransactionManager.class);
        orders.monitor().subscribe((event) -> {
            if (event.type().startsWith("transaction.")) {
                events.add(event.type());
            }
        });
    }

    @AfterAll
    static void stopApplication() {
        context.close();
    }

    @BeforeEach
    void newTopic() {
        this.topic = KafkaBroker.newTopic("spring-tx");
        events.clear();
        database.failCommit = false;
    }

    @Test
    void whenTheMethodReturnsEveryProduceIsCommittedInOneTransaction() {
        tx.required(() -> {
            send("one");
            tx.required(() -> send("two")); // REQUIRED joins
        });
        assertThat(events).containsExactly("transaction.started", "transaction.committed");
        assertThat(committed(2)).containsExactly("one", "two");
    }

    @Test
    void whenTheMethodThrowsAfterProducingNothingIsVisible() {
        IllegalStateException failure = new IllegalStateException("business rule broken");
        assertThatThrownBy(() -> tx.required(() -> {
            send("aborted-sync");
            orders.produceAsync(Message.of(this.topic, "aborted-async"));
            tx.required(() -> send("aborted-joined"));
            throw failure;
        })).isSameAs(failure);
        assertThat(events).containsExactly("transaction.started", "transaction.aborted");
        assertOnlyMarkerVisible();
    }

    @Test
    void whenRequiresNewOrNestedRunInsideATransactionOfTheSameProducerTheyFailAtOnceAndTheOuterStillCommits() {
        tx.required(() -> {
            send("outer");
            assertThatExceptionOfType(CannotCreateTransactionException.class)
                .isThrownBy(() -> tx.requiresNew(() -> send("requires-new")))
                .withMessageContaining("wait for itself");
            assertThatExceptionOfType(NestedTransactionNotSupportedException.class)
                .isThrownBy(() -> tx.nested(() -> send("nested")));
            send("outer-after");
        });
        assertThat(committed(2)).containsExactly("outer", "outer-after");
    }

    @Test
    void whenAnotherThreadRunsATransactionOfTheProducerBeginWaitsUpToTheTimeoutThenFails() {
        tx.required(() -> {
            send("owner");
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> tx.requiredWithin1s(() -> send("other")));
            assertThatThrownBy(other::join).cause()
                .isInstanceOf(CannotCreateTransactionException.class)
                .hasMessageContaining("was still open after 1000 ms");
        });
        assertThat(committed(1)).containsExactly("owner");
    }

    @Test
    void whenNotSupportedSuspendsTheTransactionTheProducerRefusesToProduceOutsideIt() {
        tx.required(() -> {
            send("outer");
            tx.notSupported(() -> assertThatExceptionOfType(ProduceException.class)
                .isThrownBy(() -> send("not-supported"))
                .withMessageContaining("suspended")
                .satisfies((e) -> assertThat(e.error().name()).isEqualTo("_STATE")));
            send("outer-resumed");
        });
        assertThat(committed(2)).containsExactly("outer", "outer-resumed");
    }

    @Test
    void whenProducingInsideAnotherManagersTransactionKafkaCommitsAfterItCommitted() {
        tx.database(() -> {
            send("with-database");
            assertThat(events).containsExactly("transaction.started");
        });
        assertThat(database.commits).isPositive();
        assertThat(events).containsExactly("transaction.started", "transaction.committed");
        assertThat(committed(1)).containsExactly("with-database");
    }

    @Test
    void whenTheOtherManagersCommitFailsTheKafkaTransactionIsAborted() {
        database.failCommit = true;
        assertThatExceptionOfType(TransactionSystemException.class).isThrownBy(() -> tx.database(() -> send("lost")))
            .withMessageContaining("database commit failed");
        assertThat(events).containsExactly("transaction.started", "transaction.aborted");
        assertOnlyMarkerVisible();
    }

    private void send(String value) {
        orders.produceSync(Message.of(this.topic, value));
    }

    private List<String> committed(int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(this.topic, expected, Duration.ofSeconds(30),
                true);
        return records.stream().map((r) -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** A committed marker after the aborted records: a read_committed consumer sees it first, and only it. */
    private void assertOnlyMarkerVisible() {
        tx.required(() -> send("marker"));
        assertThat(committed(1)).containsExactly("marker");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ WaterDropAutoConfiguration.class, WaterDropTransactionAutoConfiguration.class,
            TransactionAutoConfiguration.class })
    static class Application {

        @Bean
        Transactions transactions() {
            return new Transactions();
        }

        @Bean
        FakeDatabaseTransactionManager database() {
            return new FakeDatabaseTransactionManager();
        }
    }

    /** Each method runs its body with one propagation; {@code database} with the other transaction manager. */
    public static class Transactions {

        @Transactional("orders")
        public void required(Runnable body) {
            body.run();
        }

        @Transactional(value = "orders", timeout = 1)
        public void requiredWithin1s(Runnable body) {
            body.run();
        }

        @Transactional(value = "orders", propagation = Propagation.REQUIRES_NEW)
        public void requiresNew(Runnable body) {
            body.run();
        }

        @Transactional(value = "orders", propagation = Propagation.NESTED)
        public void nested(Runnable body) {
            body.run();
        }

        @Transactional(value = "orders", propagation = Propagation.NOT_SUPPORTED)
        public void notSupported(Runnable body) {
            body.run();
        }

        @Transactional("database")
        public void database(Runnable body) {
            body.run();
        }
    }

    /** Stands in for a JDBC transaction manager: counts commits, and fails its commit when told to. */
    @Qualifier("database")
    static class FakeDatabaseTransactionManager extends AbstractPlatformTransactionManager {

        volatile boolean failCommit;
        volatile int commits;

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            if (this.failCommit) {
                throw new TransactionSystemException("database commit failed");
            }
            this.commits++;
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
        }
    }
}
