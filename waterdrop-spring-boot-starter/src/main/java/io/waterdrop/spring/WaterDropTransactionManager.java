package io.waterdrop.spring;

import io.waterdrop.Producer;
import io.waterdrop.ProducerPool;
import io.waterdrop.WaterDropException;
import io.waterdrop.spring.internal.transaction.BoundPoolMembers;
import io.waterdrop.spring.internal.transaction.KafkaTransaction;
import io.waterdrop.spring.internal.transaction.KafkaTransactionHolder;
import io.waterdrop.spring.internal.transaction.PoolTransactionSource;
import io.waterdrop.spring.internal.transaction.ProducerTransactionSource;
import io.waterdrop.spring.internal.transaction.SynchronizedKafkaTransactions;
import io.waterdrop.spring.internal.transaction.TransactionSource;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.SmartTransactionObject;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring transactions for one transactional WaterDrop producer: inside {@code @Transactional("orders")} every
 * produce of producer {@code orders} on that thread joins one Kafka transaction, committed when the method returns
 * and aborted when it throws. The starter registers one per producer whose {@code kafka} sets
 * {@code transactional.id} (bean {@code waterdrop.transaction-managers.<name>}, qualifier {@code <name>}).
 *
 * <ul>
 *   <li>{@code REQUIRED} joins a running transaction of the producer; {@code SUPPORTS}, {@code MANDATORY},
 *       {@code NOT_SUPPORTED} and {@code NEVER} behave as Spring defines. While a transaction is suspended
 *       ({@code NOT_SUPPORTED}), the producer refuses that thread's produces ({@code _STATE}): it cannot produce
 *       outside a transaction.</li>
 *   <li>{@code REQUIRES_NEW} inside a transaction of the same producer fails at once with
 *       {@link CannotCreateTransactionException}: one librdkafka client runs one transaction at a time, and the new
 *       one would wait for the suspended one forever. Use a second transactional producer (or a pool) for the inner
 *       one.</li>
 *   <li>{@code NESTED}: Spring's {@code NestedTransactionNotSupportedException} (Kafka has no savepoints).</li>
 *   <li>Another thread's transaction on the same producer makes {@code begin} wait, up to the definition's timeout
 *       or else the producer's {@code max-wait-timeout}, then {@link CannotCreateTransactionException}. Another
 *       thread's produce during the transaction is refused ({@code ProduceException} with {@code _STATE}); it never
 *       joins it.</li>
 *   <li>Commit and abort follow core's rules (retries, abort on abortable errors, fatal errors); a failure is a
 *       {@link TransactionSystemException} whose cause is core's {@code TransactionException}.</li>
 * </ul>
 *
 * <p>Creating it also lets the producer join another manager's transaction (JDBC) the best-effort way: a produce
 * inside such a transaction begins a Kafka transaction that commits right after the other one committed and aborts
 * when it rolled back (see docs/spring-boot.md for what happens when the second commit fails).
 *
 * <p><b>Over a {@link ProducerPool}</b> ({@code pool-size} entries get one too): each transaction borrows a member
 * for as long as it runs and gives it back when it ends, whichever way; {@link #currentProducer(ProducerPool)} is
 * the member to produce on. Concurrent transactions run on different members, and {@code REQUIRES_NEW} borrows a
 * second one instead of failing. {@code begin} waits for a free member up to the definition's timeout, else the
 * pool's {@code borrow-timeout}, then {@link CannotCreateTransactionException} caused by
 * {@link io.waterdrop.PoolBorrowTimeoutException}. {@code NESTED} stays unsupported.
 */
public class WaterDropTransactionManager extends AbstractPlatformTransactionManager
        implements ResourceTransactionManager {

    private final TransactionSource source;

    /**
     * @param producer a producer with {@code transactional.id}
     * @throws io.waterdrop.ConfigurationException when it has none
     */
    public WaterDropTransactionManager(Producer producer) {
        ProducerTransactionSource source = new ProducerTransactionSource(producer);
        source.joinWith(new SynchronizedKafkaTransactions(source));
        this.source = source;
    }

    /**
     * Transactions on members of {@code pool}, one member per transaction.
     *
     * @param pool a pool of transactional producers
     */
    public WaterDropTransactionManager(ProducerPool pool) {
        PoolTransactionSource source = new PoolTransactionSource(pool);
        BoundPoolMembers.joinWith(pool, new SynchronizedKafkaTransactions(source));
        this.source = source;
    }

    /**
     * The member of {@code pool} lent to the current thread's Spring transaction: produce on it inside
     * {@code @Transactional("<pool name>")} (look it up per call, do not keep it: the next transaction may get another
     * member). Inside another manager's transaction (JDBC) with no Kafka transaction yet, it borrows a member whose
     * transaction commits right after that one, as a single producer's produce does.
     *
     * @throws org.springframework.transaction.NoTransactionException when the thread runs no transaction of the pool
     *     (none, or it is suspended); nothing was borrowed
     * @throws CannotCreateTransactionException when joining another manager's transaction found no free member
     */
    public static Producer currentProducer(ProducerPool pool) {
        try {
            return BoundPoolMembers.current(pool);
        }
        catch (WaterDropException ex) {
            throw new CannotCreateTransactionException("Could not begin a Kafka transaction on producer pool '"
                    + pool.name() + "': " + ex.getMessage(), ex);
        }
    }

    @Override
    public Object getResourceFactory() {
        return this.source.resourceKey();
    }

    @Override
    protected Object doGetTransaction() {
        return new TransactionObject(
                (KafkaTransactionHolder) TransactionSynchronizationManager.getResource(this.source.resourceKey()));
    }

    @Override
    protected boolean isExistingTransaction(Object transaction) {
        return ((TransactionObject) transaction).holder != null;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        int timeout = determineTimeout(definition);
        Duration wait = timeout == TransactionDefinition.TIMEOUT_DEFAULT ? this.source.defaultWait()
                : Duration.ofSeconds(timeout);
        KafkaTransactionHolder holder;
        try {
            holder = new KafkaTransactionHolder(this.source.begin(wait));
        }
        catch (IllegalStateException | WaterDropException ex) {
            throw new CannotCreateTransactionException("Could not begin a Kafka transaction on producer "
                    + this.source.resourceKey() + ": " + ex.getMessage(), ex);
        }
        holder.setSynchronizedWithTransaction(true);
        TransactionSynchronizationManager.bindResource(this.source.resourceKey(), holder);
        ((TransactionObject) transaction).holder = holder;
    }

    @Override
    protected Object doSuspend(Object transaction) {
        ((TransactionObject) transaction).holder = null;
        // A synchronisation of the same transaction may have unbound it already.
        KafkaTransactionHolder holder = (KafkaTransactionHolder) TransactionSynchronizationManager
            .unbindResourceIfPossible(this.source.resourceKey());
        if (holder != null) {
            holder.transaction().suspend();
        }
        return holder;
    }

    @Override
    protected void doResume(Object transaction, Object suspendedResources) {
        if (suspendedResources instanceof KafkaTransactionHolder holder) {
            holder.transaction().resume();
            TransactionSynchronizationManager.bindResource(this.source.resourceKey(), holder);
        }
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        end(status, "commit", KafkaTransaction::commit);
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        end(status, "abort", KafkaTransaction::abort);
    }

    /** Commits or aborts, turning core's failure into Spring's {@link TransactionSystemException}. */
    private static void end(DefaultTransactionStatus status, String what, Consumer<KafkaTransaction> end) {
        KafkaTransaction transaction = ((TransactionObject) status.getTransaction()).holder.transaction();
        try {
            end.accept(transaction);
        }
        catch (WaterDropException ex) {
            throw new TransactionSystemException("Kafka " + what + " of producer '" + transaction.producer().name()
                    + "' failed: " + ex.getMessage(), ex);
        }
    }

    @Override
    protected void doSetRollbackOnly(DefaultTransactionStatus status) {
        ((TransactionObject) status.getTransaction()).holder.setRollbackOnly();
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        TransactionSynchronizationManager.unbindResourceIfPossible(this.source.resourceKey());
        KafkaTransactionHolder holder = ((TransactionObject) transaction).holder;
        if (holder != null) {
            holder.reset();
        }
    }

    /** Spring's transaction object: the holder of the running transaction, or {@code null} before begin. */
    private static final class TransactionObject implements SmartTransactionObject {

        private KafkaTransactionHolder holder;

        TransactionObject(KafkaTransactionHolder holder) {
            this.holder = holder;
        }

        @Override
        public boolean isRollbackOnly() {
            return this.holder != null && this.holder.isRollbackOnly();
        }

        @Override
        public void flush() {
        }
    }
}
