package io.waterdrop.spring.internal.transaction;

import java.time.Duration;

/**
 * Where a {@code WaterDropTransactionManager} gets its transactions: one transactional producer
 * ({@link ProducerTransactionSource}) or a producer pool, one member per transaction ({@link PoolTransactionSource}).
 */
public interface TransactionSource {

    /** What the running transaction is bound to the thread under (Spring's resource key). */
    Object resourceKey();

    /** How long {@link #begin} waits when the transaction definition sets no timeout. */
    Duration defaultWait();

    /**
     * Begins a transaction owned by the calling thread.
     *
     * @param wait how long to wait for a producer whose transaction slot is free (a pool: a free member)
     * @throws IllegalStateException when none became free in time, or only a transaction this thread suspended
     *     holds it (a new one would wait for itself)
     * @throws io.waterdrop.WaterDropException when librdkafka could not begin one
     */
    KafkaTransaction begin(Duration wait);
}
