package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.TransactionBody;
import io.waterdrop.TransactionException;
import io.waterdrop.WaterDropException;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.Message;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Kafka transactions of one producer: one at a time (a nested call on the owning thread joins the running one),
 * initialised on first use, committed when the body returns and aborted when it throws.
 *
 * <p>Errors follow librdkafka's rules (rdkafka.h, "Transactional producer API"):
 * <ul>
 *   <li>retriable (e.g. {@code _TIMED_OUT}): init, commit and abort are resumable, so the call is made again after a
 *       short back-off, each attempt at most {@code transaction-attempt-timeout}, until {@code max-wait-timeout}
 *       has passed. A commit or abort still unfinished then is resumed at the start of the next transaction: before,
 *       librdkafka stayed in its committing state and every later transaction failed with {@code _STATE}.</li>
 *   <li>abortable ({@code txn_requires_abort}): the transaction is aborted, and the exception says so.</li>
 *   <li>fatal, and every error with none of the flags (librdkafka's advice): a fatal {@link TransactionException};
 *       with {@code reload-on-transaction-fatal-error} the client is re-created ({@link FatalErrorReload}) so the
 *       next transaction works.</li>
 * </ul>
 *
 * <p>A transaction is either a body ({@link #run}) or begun and ended by the caller ({@link #begin}: Spring's
 * transaction manager); both share {@link TransactionOwnership}'s rules: one at a time, and only the thread that owns
 * it produces into it.
 */
public final class Transactions {

    private static final long MIN_RETRY_BACKOFF_MS = 50;
    private static final long MAX_RETRY_BACKOFF_MS = 1_000;

    /** A librdkafka transactional call that takes a timeout. */
    private interface TimedCall {
        void call(NativeProducer client, int timeoutMs);
    }

    /** A call that ran out of time; librdkafka continues it in the background until it is called again. */
    private enum Unfinished {
        NONE, COMMIT, ABORT
    }

    private final String name;
    private final ClientLifecycle lifecycle;
    private final EventSink events;
    private final Duration maxWait;
    private final long attemptTimeoutMs;
    private final FatalErrorReload reload;

    private final TransactionOwnership ownership;
    /** Begins a transaction for a thread with none that produces (Spring's synchronisation), or {@code null}. */
    private volatile BooleanSupplier joiner;
    private boolean initialized;
    private Unfinished unfinished = Unfinished.NONE;

    /** @param reload re-creates the client after a fatal error, or {@code null} when that is switched off */
    public Transactions(String name, ClientLifecycle lifecycle, EventSink events, Duration maxWait,
            Duration attemptTimeout, FatalErrorReload reload) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.events = events;
        this.maxWait = maxWait;
        this.attemptTimeoutMs = Math.max(1, attemptTimeout.toMillis());
        this.reload = reload;
        this.ownership = new TransactionOwnership(name);
    }

    /** Runs {@code body} in a transaction; see {@link io.waterdrop.Producer#transaction}. */
    public <T> T run(TransactionBody<T> body) {
        if (ownership.isOwner()) {
            return runBody(body);
        }
        OpenTransaction transaction = begin(null);
        T result;
        try {
            result = runBody(body);
        } catch (RuntimeException | Error e) {
            transaction.abortAfter(e);
            throw e;
        }
        transaction.commit();
        return result;
    }

    /**
     * Begins a transaction that the caller commits or aborts through the returned handle (Spring's transaction
     * manager); the calling thread owns it: its produces join it, other threads' are refused.
     *
     * @param wait how long to wait while another thread's transaction is open; {@code null} waits as long as it takes
     * @throws IllegalStateException when this thread's own transaction is open but suspended, or the wait ran out
     * @throws TransactionException when librdkafka could not begin one
     */
    public OpenTransaction begin(Duration wait) {
        lifecycle.connect(ClientLifecycle.TRANSACTION);
        ownership.acquire(wait);
        try {
            lifecycle.connect(ClientLifecycle.TRANSACTION); // an idle disconnect may have run before the slot was ours
            beginTransaction();
        } catch (RuntimeException | Error e) {
            ownership.release();
            throw e;
        }
        events.emit(new Event.TransactionStarted(name));
        return new OpenTransaction(this, ownership);
    }

    /**
     * Checks a produce on this transactional producer: the owner of the open transaction produces into it; a thread
     * without one first asks the joiner (Spring's synchronisation may begin one for it); everyone else is refused
     * while a transaction is open (see {@link TransactionOwnership}).
     */
    public <T> T send(Message message, Supplier<T> send) {
        if (ownership.isOwner()) {
            return send.get();
        }
        BooleanSupplier join = joiner;
        if (join != null && join.getAsBoolean() && ownership.isOwner()) {
            return send.get();
        }
        return ownership.sendOutside(message, send);
    }

    /**
     * Sets what begins a transaction for a thread that produces without one, e.g. inside a database transaction
     * Spring synchronises with; returns true when it began one. {@code null} removes it.
     */
    public void joinWith(BooleanSupplier joiner) {
        this.joiner = joiner;
    }

    /** Commits; see {@link OpenTransaction#commit()}. */
    void commitOpen() {
        commit();
        if (reload != null) {
            reload.succeeded();
        }
    }

    /**
     * Runs {@code action} while no transaction is open or left unfinished, holding the transaction slot so none
     * begins meanwhile (idle disconnect); returns false without running it otherwise.
     */
    public boolean whileNoTransaction(BooleanSupplier action) {
        return ownership.whileNoneOpen(() -> unfinished == Unfinished.NONE && action.getAsBoolean());
    }

    /** The next client starts uninitialised (called while the producer is closed). */
    public void reset() {
        initialized = false;
        unfinished = Unfinished.NONE;
    }

    /**
     * Finishes what the last transaction left unfinished, initialises transactions once, and begins one owned by
     * this thread.
     */
    private void beginTransaction() {
        try {
            resumeUnfinished();
            if (!initialized) {
                retrying((client, timeoutMs) -> client.initTransactions(timeoutMs));
                initialized = true;
            }
            ownership.begin(() -> lifecycle.withHandle(client -> {
                client.beginTransaction();
                return null;
            }));
        } catch (TransactionException e) {
            if (e.isRetriable() && !e.isFatal()) {
                throw e; // init is resumable: the next transaction() calls it again
            }
            throw fatal(e, "could not begin a transaction");
        }
    }

    /** A commit or abort that ran out of time last time must finish before librdkafka accepts a new transaction. */
    private void resumeUnfinished() {
        if (unfinished == Unfinished.NONE) {
            return;
        }
        boolean commit = unfinished == Unfinished.COMMIT;
        try {
            retrying(commit ? NativeProducer::commitTransaction : NativeProducer::abortTransaction);
        } catch (TransactionException e) {
            if (commit && e.isAbortRequired() && !e.isFatal()) {
                unfinished = Unfinished.ABORT;
                resumeUnfinished(); // the resumed commit failed: abort it, then carry on
                return;
            }
            if (e.isRetriable() && !e.isFatal()) {
                throw new TransactionException("Producer '" + name + "': the " + (commit ? "commit" : "abort")
                        + " of the previous transaction is still not complete after max-wait-timeout ("
                        + maxWait.toMillis() + " ms); the next transaction() tries again", e.error(), false, true,
                        false, false, e);
            }
            throw e;
        }
        unfinished = Unfinished.NONE;
        events.emit(commit ? new Event.TransactionCommitted(name) : new Event.TransactionAborted(name));
    }

    private void commit() {
        try {
            // No wait for the reports before: commit_transaction flushes (sending at once, linger.ms ignored) and,
            // with delivery reports as events, only WAITS until our polling thread has served and destroyed every
            // report. So when it returns, every report of the transaction has reached its handle on that thread.
            retrying(NativeProducer::commitTransaction);
        } catch (TransactionException e) {
            if (e.isAbortRequired() && !e.isFatal()) {
                throw abortAfterCommitFailed(e);
            }
            if (e.isRetriable() && !e.isFatal()) {
                unfinished = Unfinished.COMMIT;
                throw new TransactionException("Producer '" + name + "': commit did not complete within "
                        + "max-wait-timeout (" + maxWait.toMillis() + " ms); librdkafka continues it in the "
                        + "background and the next transaction() completes it first, so its outcome is not known "
                        + "yet", e.error(), false, true, false, false, e);
            }
            throw fatal(e, "commit failed");
        }
        events.emit(new Event.TransactionCommitted(name));
    }

    private TransactionException abortAfterCommitFailed(TransactionException commitFailure) {
        try {
            retrying(NativeProducer::abortTransaction);
        } catch (TransactionException abortFailure) {
            commitFailure.addSuppressed(abortFailure);
            if (abortFailure.isRetriable() && !abortFailure.isFatal()) {
                unfinished = Unfinished.ABORT;
                return commitFailure;
            }
            return fatal(abortFailure, "commit failed with " + commitFailure.error().name() + " and the abort failed");
        }
        events.emit(new Event.TransactionAborted(name));
        return new TransactionException("Producer '" + name + "': commit failed and the transaction was aborted "
                + "(nothing it produced becomes visible); the next transaction() works",
                commitFailure.error(), false, false, true, true, commitFailure);
    }

    /** The body threw: abort, keeping the body's exception as the one the caller sees. */
    void abortAfter(Throwable reason) {
        try {
            abort();
        } catch (RuntimeException e) {
            reason.addSuppressed(e);
        }
    }

    /**
     * Aborts the open transaction. A retriable failure leaves the abort to the next transaction, which finishes it
     * first.
     *
     * @throws TransactionException when the abort failed (retriable or fatal)
     */
    void abort() {
        try {
            retrying(NativeProducer::abortTransaction);
        } catch (TransactionException e) {
            if (e.isRetriable() && !e.isFatal()) {
                unfinished = Unfinished.ABORT;
                throw e;
            }
            throw fatal(e, "abort failed");
        }
        events.emit(new Event.TransactionAborted(name));
    }

    /**
     * A fatal (or unclassified) error: re-creates the client when configured to and allowed, and returns the fatal
     * exception to throw, which says whether the client was re-created.
     */
    private TransactionException fatal(TransactionException e, String what) {
        String outcome;
        RuntimeException reloadFailure = null;
        if (reload != null && reload.allowed()) {
            try {
                reload.reload(e.error());
                outcome = "the producer re-created its librdkafka client (reload " + reload.reloadsInARow()
                        + " in a row): the next transaction() works on the new client";
            } catch (RuntimeException re) {
                reloadFailure = re;
                outcome = "re-creating the librdkafka client failed (" + re.getMessage() + ")";
            }
        } else if (reload != null) {
            outcome = "no more client re-creations are allowed (max-fatal-error-reloads); close the producer and "
                    + "create a new one";
        } else {
            outcome = "the librdkafka client cannot do transactions any more; close the producer and create a new "
                    + "one (or set reload-on-transaction-fatal-error)";
        }
        TransactionException fatal = new TransactionException("Producer '" + name + "': " + what
                + " with a fatal error; " + outcome, e.error(), true, false, false, false, e);
        if (reloadFailure != null) {
            fatal.addSuppressed(reloadFailure);
        }
        return fatal;
    }

    /**
     * Calls {@code call} in attempts of at most {@code transaction-attempt-timeout} until it succeeds, fails with a
     * non-retriable error, or {@code max-wait-timeout} has passed (then the last retriable error is thrown).
     */
    private void retrying(TimedCall call) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long backoffMs = MIN_RETRY_BACKOFF_MS;
        while (true) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            int timeoutMs = (int) Math.max(1, Math.min(remainingMs, attemptTimeoutMs));
            try {
                lifecycle.withHandle(client -> {
                    call.call(client, timeoutMs);
                    return null;
                });
                return;
            } catch (TransactionException e) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!e.isRetriable() || e.isFatal() || e.isAbortRequired() || leftMs <= 0) {
                    throw e;
                }
                events.emit(new Event.ErrorOccurred(name, "transaction.retrying", e.error(), e, null));
                pause(Math.min(backoffMs, leftMs));
                backoffMs = Math.min(MAX_RETRY_BACKOFF_MS, backoffMs * 2);
            }
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis); // a grace period between resumable calls, as librdkafka advises
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaterDropException("Producer '" + name + "': interrupted between transactional retries", e);
        }
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
}
