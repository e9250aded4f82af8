package io.waterdrop.spring.internal.transaction;

import io.waterdrop.Producer;

/**
 * One running Kafka transaction as the transaction manager sees it: a producer's own transaction; with a pool, also
 * the lease of the member it runs on, given back when it ends.
 */
public interface KafkaTransaction {

    /** The producer whose produces join this transaction. */
    Producer producer();

    /** Commits (see {@code OpenTransaction.commit}); ends it either way. */
    void commit();

    /** Aborts; ends it either way. */
    void abort();

    /** Nothing produces into it until {@link #resume()}. */
    void suspend();

    void resume();
}
