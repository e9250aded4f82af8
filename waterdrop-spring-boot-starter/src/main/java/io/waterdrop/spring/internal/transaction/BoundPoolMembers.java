package io.waterdrop.spring.internal.transaction;

import io.waterdrop.Producer;
import io.waterdrop.ProducerPool;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Finds the pool member lent to the thread's Spring transaction (bound under the pool, see
 * {@link PoolTransactionSource#resourceKey()}). Inside another manager's transaction (JDBC) with none bound, the
 * pool's transaction manager borrows one the best-effort way ({@link SynchronizedKafkaTransactions}).
 */
public final class BoundPoolMembers {

    /** The best-effort joiner of each pool that has a transaction manager; weak, so a dropped pool goes. */
    private static final Map<ProducerPool, SynchronizedKafkaTransactions> joiners = Collections
        .synchronizedMap(new WeakHashMap<>());

    private BoundPoolMembers() {
    }

    /** Called by the pool's transaction manager. */
    public static void joinWith(ProducerPool pool, SynchronizedKafkaTransactions joiner) {
        joiners.put(pool, joiner);
    }

    /**
     * The member of {@code pool} lent to the thread's transaction.
     *
     * @throws NoTransactionException when the thread runs no transaction of the pool (none, or it is suspended)
     */
    public static Producer current(ProducerPool pool) {
        KafkaTransactionHolder holder = (KafkaTransactionHolder) TransactionSynchronizationManager.getResource(pool);
        if (holder == null) {
            SynchronizedKafkaTransactions joiner = joiners.get(pool);
            if (joiner != null && joiner.getAsBoolean()) {
                holder = (KafkaTransactionHolder) TransactionSynchronizationManager.getResource(pool);
            }
        }
        if (holder == null) {
            throw new NoTransactionException("Producer pool '" + pool.name() + "' lends its members only to "
                    + "transactions, and thread " + Thread.currentThread().getName() + " runs none of it (or it is "
                    + "suspended): call this inside @Transactional(\"" + pool.name() + "\") (or a "
                    + "TransactionTemplate over that transaction manager), or use pool.transaction(producer -> ...)");
        }
        return holder.transaction().producer();
    }
}
