package io.waterdrop.spring.internal.transaction;

import io.waterdrop.WaterDropException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's best-effort pattern (as spring-kafka's template does it): a transactional producer that produces inside
 * another manager's transaction (JDBC) with no Kafka transaction of its own begins one, bound to the thread, that
 * commits right AFTER that transaction committed and aborts when it rolled back.
 */
public final class SynchronizedKafkaTransactions implements BooleanSupplier {

    private static final Logger log = LoggerFactory.getLogger(SynchronizedKafkaTransactions.class);

    private final TransactionSource source;

    public SynchronizedKafkaTransactions(TransactionSource source) {
        this.source = source;
    }

    /** Begins a synchronised Kafka transaction when the thread runs a Spring transaction; true when it did. */
    @Override
    public boolean getAsBoolean() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()
                || TransactionSynchronizationManager.hasResource(this.source.resourceKey())) {
            return false;
        }
        KafkaTransactionHolder holder = new KafkaTransactionHolder(this.source.begin(this.source.defaultWait()));
        holder.setSynchronizedWithTransaction(true);
        TransactionSynchronizationManager.bindResource(this.source.resourceKey(), holder);
        TransactionSynchronizationManager.registerSynchronization(new Synchronization(this.source.resourceKey(),
                holder));
        return true;
    }

    private static final class Synchronization implements TransactionSynchronization {

        private final Object key;
        private final KafkaTransactionHolder holder;

        Synchronization(Object key, KafkaTransactionHolder holder) {
            this.key = key;
            this.holder = holder;
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(this.key);
            this.holder.transaction().suspend();
        }

        @Override
        public void resume() {
            this.holder.transaction().resume();
            TransactionSynchronizationManager.bindResource(this.key, this.holder);
        }

        /** The other transaction committed: commit Kafka now; a failure reaches the caller of that commit. */
        @Override
        public void afterCommit() {
            try {
                if (this.holder.isRollbackOnly()) {
                    this.holder.transaction().abort();
                }
                else {
                    this.holder.transaction().commit();
                }
            }
            catch (WaterDropException ex) {
                throw new TransactionSystemException("The Kafka transaction of producer '"
                        + this.holder.transaction().producer().name() + "' failed after the transaction it is "
                        + "synchronised with committed: that one stays committed", ex);
            }
        }

        @Override
        public void afterCompletion(int status) {
            try {
                if (status != STATUS_COMMITTED) {
                    this.holder.transaction().abort(); // does nothing when afterCommit already ended it
                }
            }
            catch (WaterDropException ex) {
                log.warn("Aborting the Kafka transaction of producer '{}' after a rollback failed: {}",
                        this.holder.transaction().producer().name(), ex.getMessage());
            }
            finally {
                TransactionSynchronizationManager.unbindResourceIfPossible(this.key);
                this.holder.reset();
            }
        }
    }
}
