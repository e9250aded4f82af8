package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.TransactionBody;
import io.waterdrop.TransactionException;
import io.waterdrop.WaterDropException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Kafka transactions of one producer: one at a time (a nested call on the owning thread joins the running one),
 * initialised on first use, committed when the body returns and aborted when it throws.
 */
public final class Transactions {

    private final String name;
    private final ClientLifecycle lifecycle;
    private final EventSink events;
    private final Duration maxWait;

    private final ReentrantLock transactionLock = new ReentrantLock();
    private volatile Thread transactionOwner;
    private boolean initialized;

    public Transactions(String name, ClientLifecycle lifecycle, EventSink events, Duration maxWait) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.events = events;
        this.maxWait = maxWait;
    }

    /** Runs {@code body} in a transaction; see {@link io.waterdrop.Producer#transaction}. */
    public <T> T run(TransactionBody<T> body) {
        if (transactionOwner == Thread.currentThread()) {
            return runBody(body);
        }
        lifecycle.connect();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, maxWait.toMillis());
        transactionLock.lock();
        try {
            lifecycle.withHandle(client -> {
                if (!initialized) {
                    client.initTransactions(timeoutMs);
                    initialized = true;
                }
                client.beginTransaction();
                return null;
            });
            transactionOwner = Thread.currentThread();
            events.emit(new Event.TransactionStarted(name));
            T result;
            try {
                result = runBody(body);
            } catch (RuntimeException | Error e) {
                abort(timeoutMs, e);
                throw e;
            }
            try {
                // Flush first, on our terms: commit_transaction would otherwise serve the queue (and run delivery
                // callbacks) on this application thread.
                lifecycle.awaitDrained(maxWait);
                lifecycle.withHandle(client -> {
                    client.commitTransaction(timeoutMs);
                    return null;
                });
            } catch (TransactionException e) {
                if (e.isAbortRequired()) {
                    abort(timeoutMs, e);
                }
                throw e;
            }
            events.emit(new Event.TransactionCommitted(name));
            return result;
        } finally {
            transactionOwner = null;
            transactionLock.unlock();
        }
    }

    /** The next client starts uninitialised (called while the producer is closed). */
    public void reset() {
        initialized = false;
    }

    private <T> T runBody(TransactionBody<T> body) {
        try {
            return body.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new WaterDropException("Transaction of producer '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private void abort(int timeoutMs, Throwable reason) {
        try {
            lifecycle.withHandle(client -> {
                client.abortTransaction(timeoutMs);
                return null;
            });
            events.emit(new Event.TransactionAborted(name));
        } catch (RuntimeException e) {
            reason.addSuppressed(e);
        }
    }
}
