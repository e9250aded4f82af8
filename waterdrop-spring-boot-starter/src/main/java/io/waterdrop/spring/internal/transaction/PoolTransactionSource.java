package io.waterdrop.spring.internal.transaction;

import io.waterdrop.Producer;
import io.waterdrop.ProducerPool;
import io.waterdrop.TransactionException;
import io.waterdrop.internal.producer.OpenTransaction;
import io.waterdrop.internal.producer.ProducerInternals;
import java.time.Duration;

/**
 * Transactions of a {@link ProducerPool}: each borrows a member for as long as it runs (so concurrent transactions,
 * and a {@code REQUIRES_NEW} inside one, get different members) and gives it back when it ends, whichever way. The
 * pool replaces a member given back with a fatal error (e.g. {@code _FENCED}).
 */
public final class PoolTransactionSource implements TransactionSource {

    private final ProducerPool pool;

    public PoolTransactionSource(ProducerPool pool) {
        this.pool = pool;
    }

    @Override
    public Object resourceKey() {
        return this.pool;
    }

    @Override
    public Duration defaultWait() {
        return this.pool.borrowTimeout();
    }

    /**
     * Borrows a member (waiting up to {@code wait}) and begins its transaction.
     *
     * @throws io.waterdrop.PoolBorrowTimeoutException when every member stayed busy for {@code wait}
     */
    @Override
    public KafkaTransaction begin(Duration wait) {
        ProducerPool.Lease lease = this.pool.borrow(wait);
        OpenTransaction open;
        try {
            // The lease makes the member ours alone: its transaction slot is free, so begin does not wait.
            open = ProducerInternals.transactions(lease.producer()).begin(wait);
        }
        catch (RuntimeException | Error ex) {
            lease.close();
            throw ex;
        }
        return new LeasedTransaction(lease, open);
    }

    /** A member's transaction; ending it gives the member back to the pool. */
    private static final class LeasedTransaction implements KafkaTransaction {

        private final ProducerPool.Lease lease;
        private final OpenTransaction open;

        LeasedTransaction(ProducerPool.Lease lease, OpenTransaction open) {
            this.lease = lease;
            this.open = open;
        }

        @Override
        public Producer producer() {
            return this.lease.producer();
        }

        @Override
        public void commit() {
            end(this.open::commit);
        }

        @Override
        public void abort() {
            end(this.open::abort);
        }

        /** Commits or aborts, then gives the member back (replaced by the pool when the failure was fatal). */
        private void end(Runnable end) {
            try {
                end.run();
            }
            catch (TransactionException ex) {
                throw this.lease.replaceOnReturnIfFatal(ex);
            }
            finally {
                this.lease.close(); // idempotent; the pool also checks the member for a librdkafka fatal error
            }
        }

        @Override
        public void suspend() {
            this.open.suspend();
        }

        @Override
        public void resume() {
            this.open.resume();
        }
    }
}
