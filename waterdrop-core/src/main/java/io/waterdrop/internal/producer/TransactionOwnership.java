package io.waterdrop.internal.producer;

import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Which thread a transactional producer's open transaction belongs to, and the rules that follow from one librdkafka
 * client running one transaction at a time.
 *
 * <ul>
 *   <li>One transaction at a time: {@link #acquire} waits while another thread's transaction is open. A thread whose
 *       own transaction is open but suspended (Spring's {@code REQUIRES_NEW}) would wait for itself forever, so it is
 *       refused at once.</li>
 *   <li>Only the owner produces: while a transaction is open, a produce from any other thread (another application
 *       thread, a polling thread's callback, the owner itself while suspended) is refused with a
 *       {@link ProduceException} of {@code _STATE}, the error librdkafka gives when no transaction is open; it
 *       would otherwise silently become part of someone else's transaction.</li>
 *   <li>No window between the two: a produce from a thread without a transaction holds the read side of
 *       {@code beginGate} from its check until librdkafka answered (with {@code _STATE}), and beginning a transaction
 *       holds the write side, so such a message can never slip into a transaction begun meanwhile.</li>
 * </ul>
 */
final class TransactionOwnership {

    /** RD_KAFKA_RESP_ERR__STATE: what librdkafka answers a produce outside a transaction. */
    private static final KafkaError STATE = new KafkaError(-172, "_STATE", "Local: Erroneous state");

    private final String name;
    /** One open transaction per producer; a semaphore because Spring may end it on another thread than began it. */
    private final Semaphore open = new Semaphore(1);
    private final ReentrantReadWriteLock beginGate = new ReentrantReadWriteLock();
    /** The thread that began the open transaction, or {@code null} when none is open. */
    private volatile Thread beganBy;
    /** The thread whose produces join the open transaction; {@code null} when none is open or it is suspended. */
    private volatile Thread owner;

    TransactionOwnership(String name) {
        this.name = name;
    }

    boolean isOwner() {
        return owner == Thread.currentThread();
    }

    /**
     * Takes the producer's one transaction slot, waiting up to {@code wait} ({@code null}: as long as it takes).
     *
     * @throws IllegalStateException when this thread's own transaction is open and suspended, or the wait ran out
     */
    void acquire(Duration wait) {
        if (beganBy == Thread.currentThread()) {
            throw new IllegalStateException("Producer '" + name + "' already runs a transaction begun by this thread "
                    + "(" + Thread.currentThread().getName() + "), suspended or running a transaction() body; one "
                    + "librdkafka client runs one "
                    + "transaction at a time, so a new one would wait for itself forever. Use another transactional "
                    + "producer for the inner transaction");
        }
        if (wait == null) {
            open.acquireUninterruptibly();
            return;
        }
        boolean acquired;
        try {
            acquired = open.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Producer '" + name + "': interrupted while waiting for another "
                    + "thread's transaction to end", e);
        }
        if (!acquired) {
            Thread holder = beganBy;
            throw new IllegalStateException("Producer '" + name + "': another thread's transaction"
                    + (holder == null ? "" : " (" + holder.getName() + ")") + " was still open after " + wait.toMillis()
                    + " ms; one librdkafka client runs one transaction at a time");
        }
    }

    /** Begins the transaction ({@code begin} is librdkafka's begin_transaction) and makes this thread its owner. */
    void begin(Runnable begin) {
        beginGate.writeLock().lock();
        try {
            begin.run();
            beganBy = Thread.currentThread();
            owner = beganBy;
        } finally {
            beginGate.writeLock().unlock();
        }
    }

    void suspend() {
        owner = null;
    }

    void resume() {
        owner = beganBy;
    }

    /**
     * Runs {@code action} holding the transaction slot when it is free (no transaction open, none can begin
     * meanwhile); false without running it when a transaction is open. Never waits (idle disconnect's check).
     */
    boolean whileNoneOpen(BooleanSupplier action) {
        if (!open.tryAcquire()) {
            return false;
        }
        try {
            return action.getAsBoolean();
        } finally {
            open.release();
        }
    }

    /** The transaction ended (committed, aborted or failed): no owner, and the slot is free. */
    void release() {
        owner = null;
        beganBy = null;
        open.release();
    }

    /**
     * Sends from a thread that does not own the open transaction: refused while one is open; otherwise sent with
     * the begin gate held, so librdkafka answers before any transaction can begin.
     */
    <T> T sendOutside(Message message, Supplier<T> send) {
        beginGate.readLock().lock();
        try {
            Thread holder = beganBy;
            if (holder != null) {
                throw new ProduceException(name, message, new KafkaError(STATE.code(), STATE.name(),
                        holder == Thread.currentThread()
                                ? "this thread's transaction is suspended (e.g. Spring's NOT_SUPPORTED or REQUIRES_NEW "
                                        + "inside it); a transactional producer cannot produce outside a transaction"
                                : "the open transaction belongs to thread " + holder.getName() + "; only that thread "
                                        + "produces into it (a message from " + Thread.currentThread().getName()
                                        + " would silently become part of it)"));
            }
            return send.get();
        } finally {
            beginGate.readLock().unlock();
        }
    }
}
