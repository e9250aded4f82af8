package io.waterdrop.spring.internal.transaction;

import io.waterdrop.Producer;
import io.waterdrop.internal.producer.OpenTransaction;
import io.waterdrop.internal.producer.ProducerInternals;
import io.waterdrop.internal.producer.Transactions;
import java.time.Duration;

/** Transactions of one transactional producer, one at a time. */
public final class ProducerTransactionSource implements TransactionSource {

    private final Producer producer;
    private final Transactions transactions;

    /** @throws io.waterdrop.ConfigurationException when the producer has no {@code transactional.id} */
    public ProducerTransactionSource(Producer producer) {
        this.producer = producer;
        this.transactions = ProducerInternals.transactions(producer);
    }

    /** Makes a produce without a transaction begin one when {@code joiner} says so (Spring's synchronisation). */
    public void joinWith(java.util.function.BooleanSupplier joiner) {
        this.transactions.joinWith(joiner);
    }

    @Override
    public Object resourceKey() {
        return this.producer;
    }

    @Override
    public Duration defaultWait() {
        return this.producer.config().maxWaitTimeout();
    }

    @Override
    public KafkaTransaction begin(Duration wait) {
        OpenTransaction open = this.transactions.begin(wait);
        return new KafkaTransaction() {
            @Override
            public Producer producer() {
                return ProducerTransactionSource.this.producer;
            }

            @Override
            public void commit() {
                open.commit();
            }

            @Override
            public void abort() {
                open.abort();
            }

            @Override
            public void suspend() {
                open.suspend();
            }

            @Override
            public void resume() {
                open.resume();
            }
        };
    }
}
