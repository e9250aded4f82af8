package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.internal.producer.OpenTransaction;
import io.waterdrop.internal.producer.ProducerInternals;
import io.waterdrop.internal.producer.Transactions;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Only the thread that owns a producer's open transaction produces into it; a transaction begun outside a body
 * (the Spring transaction manager's way) keeps the same rules.
 */
class TransactionOwnershipTest {

    @Test
    void anotherThreadsProduceDuringATransactionIsRefusedAndNeverJoinsIt() {
        String topic = KafkaBroker.newTopic("tx-owner");
        try (Producer producer = new Producer(brokerConfig("tx-owner", PollingMode.FD)
                .kafka("transactional.id", CoreFixtures.uniqueName("tx-owner")).build())) {
            String owner = Thread.currentThread().getName();
            producer.transaction(() -> {
                producer.produceSync(Message.of(topic, "owner"));
                CompletableFuture<DeliveryHandle> other = CompletableFuture.supplyAsync(
                        () -> producer.produceAsync(Message.of(topic, "other")));
                assertThatThrownBy(other::join).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOfSatisfying(ProduceException.class, e -> {
                            assertThat(e.error().name()).isEqualTo("_STATE");
                            assertThat(e.getMessage()).contains("belongs to thread " + owner);
                        });
                return null;
            });
        }
        assertThat(KafkaBroker.read(topic, 1, Duration.ofSeconds(30), true)).extracting(CoreFixtures::value)
                .containsExactly("owner");
    }

    @Test
    void anOpenTransactionCommitsAbortsAndRefusesItsSuspendedOwnerAndASecondBegin() {
        String topic = KafkaBroker.newTopic("tx-open");
        try (Producer producer = new Producer(brokerConfig("tx-open", PollingMode.FD)
                .kafka("transactional.id", CoreFixtures.uniqueName("tx-open")).build())) {
            Transactions transactions = ProducerInternals.transactions(producer);
            OpenTransaction aborted = transactions.begin(Duration.ofSeconds(5));
            producer.produceAsync(Message.of(topic, "aborted"));
            aborted.suspend();
            assertThatThrownBy(() -> producer.produceAsync(Message.of(topic, "while-suspended")))
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> assertThat(e.getMessage()).contains("suspended"));
            assertThatThrownBy(() -> transactions.begin(Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
            aborted.resume();
            aborted.abort();
            aborted.abort(); // ended: nothing more happens

            OpenTransaction committed = transactions.begin(Duration.ofSeconds(5));
            producer.produceAsync(Message.of(topic, "committed"));
            committed.commit();
        }
        assertThat(KafkaBroker.read(topic, 1, Duration.ofSeconds(30), true)).extracting(CoreFixtures::value)
                .containsExactly("committed");
    }
}
