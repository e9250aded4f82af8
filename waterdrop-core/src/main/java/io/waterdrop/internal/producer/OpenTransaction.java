package io.waterdrop.internal.producer;

import io.waterdrop.TransactionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A transaction begun by {@link Transactions#begin} and ended by its caller (Spring's transaction manager): exactly
 * one of {@link #commit()} or {@link #abort()} ends it, with the same error rules as {@code Producer.transaction()};
 * later calls do nothing. Until then the producer runs no other transaction.
 */
public final class OpenTransaction {

    private final Transactions transactions;
    private final TransactionOwnership ownership;
    private final AtomicBoolean ended = new AtomicBoolean();

    OpenTransaction(Transactions transactions, TransactionOwnership ownership) {
        this.transactions = transactions;
        this.ownership = ownership;
    }

    /**
     * Waits for every report, then commits. An abortable failure aborts and throws with {@code isAborted()}; a
     * retriable one leaves the commit to finish at the start of the next transaction (outcome unknown until then).
     *
     * @throws TransactionException when the commit failed
     */
    public void commit() {
        end(transactions::commitOpen);
    }

    /**
     * Aborts: nothing produced in the transaction becomes visible.
     *
     * @throws TransactionException when the abort failed (retriable: the next transaction finishes it first)
     */
    public void abort() {
        end(transactions::abort);
    }

    /** Aborts after {@code reason} (the body's exception), which gets any abort failure as a suppressed one. */
    void abortAfter(Throwable reason) {
        end(() -> transactions.abortAfter(reason));
    }

    /** Runs {@code end} once, whichever way it ends, then frees the producer's transaction slot. */
    private void end(Runnable end) {
        if (ended.compareAndSet(false, true)) {
            try {
                end.run();
            } finally {
                ownership.release();
            }
        }
    }

    /** Until {@link #resume()}, no thread produces into this transaction (Spring suspended it). */
    public void suspend() {
        ownership.suspend();
    }

    /** The thread that began the transaction produces into it again. */
    public void resume() {
        ownership.resume();
    }

    /** Whether it was committed or aborted (or either was tried). */
    public boolean isEnded() {
        return ended.get();
    }
}
