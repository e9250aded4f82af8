package io.waterdrop;

import io.waterdrop.internal.polling.PollingThreads;
import io.waterdrop.internal.pool.PoolSlots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of transactional producers built from one {@link ProducerConfig}: member {@code i} is named
 * {@code <name>-<i>} and has {@code transactional.id} {@code <base>-<i>}, where {@code <base>} is the config's
 * {@code transactional.id}. Members share the config's Poller (the global one unless the config names another), so
 * N members add no polling thread in fd mode.
 *
 * <pre>{@code
 * try (ProducerPool pool = ProducerPool.builder(config).size(8).build()) {
 *     pool.transaction(producer -> producer.produceSync(Message.of("orders", json)));
 * }
 * }</pre>
 *
 * <p>{@link #transaction} borrows a free member (waiting up to {@code borrow-timeout}, then
 * {@link PoolBorrowTimeoutException}), runs {@link Producer#transaction} on it (same commit, abort and error rules),
 * and gives it back. {@link #borrow(Duration)} hands out a member for longer (a {@link Lease}, closed to give it
 * back). A member returned with a fatal librdkafka error (e.g. {@code _FENCED}), closed, or without polling is
 * closed and replaced by a fresh one with the same {@code transactional.id}, reported as
 * {@code pool.member_replaced} on {@link #monitor()}; the monitor also carries every member's own events.
 *
 * <p>{@link #close()} refuses new borrows, waits (up to {@code close-timeout}) for running transactions, then closes
 * every member. Idempotent. Thread-safe.
 */
public final class ProducerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProducerPool.class);
    private static final String TRANSACTIONAL_ID = "transactional.id";

    private final ProducerConfig config;
    private final String name;
    private final String baseTransactionalId;
    private final Duration borrowTimeout;
    private final Duration closeTimeout;
    private final Monitor monitor;
    private final PoolSlots slots;
    private final AtomicReferenceArray<Producer> members;
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Boolean> closed = new CompletableFuture<>();

    private ProducerPool(Builder b) {
        this.config = b.config;
        this.name = config.name();
        this.baseTransactionalId = config.kafka().get(TRANSACTIONAL_ID);
        this.borrowTimeout = b.borrowTimeout != null ? b.borrowTimeout : config.maxWaitTimeout();
        this.closeTimeout = b.closeTimeout != null ? b.closeTimeout : config.closeTimeout();
        this.monitor = new Monitor(name);
        this.slots = new PoolSlots(b.size);
        this.members = new AtomicReferenceArray<>(b.size);
        try {
            for (int i = 0; i < b.size; i++) {
                members.set(i, newMember(i));
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < b.size; i++) {
                Producer built = members.get(i);
                if (built != null) {
                    built.close();
                }
            }
            throw e;
        }
    }

    /** A pool of {@code size} members built from {@code config} (which must set {@code transactional.id}). */
    public ProducerPool(ProducerConfig config, int size) {
        this(builder(config).size(size).checked());
    }

    public static Builder builder(ProducerConfig config) {
        return new Builder(config);
    }

    public String name() {
        return name;
    }

    /** The configuration members are built from (with their own name and {@code transactional.id}). */
    public ProducerConfig config() {
        return config;
    }

    /** How long {@link #transaction} waits for a free member ({@code borrow-timeout}; default max-wait-timeout). */
    public Duration borrowTimeout() {
        return borrowTimeout;
    }

    /** Events of the pool ({@code pool.member_replaced}) and of every member, present and future. */
    public Monitor monitor() {
        return monitor;
    }

    /** The present members, by index; a member may be replaced later, so do not keep them. */
    public List<Producer> members() {
        List<Producer> list = new ArrayList<>(members.length());
        for (int i = 0; i < members.length(); i++) {
            list.add(members.get(i));
        }
        return list;
    }

    /**
     * Borrows a member, runs {@code body} in a transaction on it ({@link Producer#transaction}: commit on return,
     * abort on exception), and gives it back. A nested call borrows another member: a separate transaction.
     *
     * @throws PoolBorrowTimeoutException when no member became free within {@code borrow-timeout}
     * @throws ProducerClosedException when the pool is closed
     * @throws TransactionException as {@link Producer#transaction} does; a fatal one replaces the member
     */
    public <T> T transaction(Body<T> body) {
        try (Lease lease = borrow(borrowTimeout)) {
            Producer producer = lease.producer();
            try {
                return producer.transaction(() -> body.run(producer));
            } catch (TransactionException e) {
                throw lease.replaceOnReturnIfFatal(e);
            }
        }
    }

    /**
     * Borrows a member until the returned lease is closed (e.g. to hold it across a method, as a transaction
     * manager does). Close every lease, in a {@code finally} or try-with-resources.
     *
     * @throws PoolBorrowTimeoutException when no member became free within {@code timeout}
     * @throws ProducerClosedException when the pool is closed or closes while waiting
     * @throws IllegalStateException on a polling thread (waiting there would stall every producer it serves)
     */
    public Lease borrow(Duration timeout) {
        if (PollingThreads.isPollingThread()) {
            throw new IllegalStateException("Producer pool '" + name + "': borrow() and transaction() cannot run on "
                    + Thread.currentThread().getName() + ": that thread serves delivery reports; call them from an "
                    + "application thread");
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("Producer pool '" + name + "': borrow timeout must be 0 or more but was "
                    + timeout);
        }
        int index;
        try {
            index = slots.borrow(nanos(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaterDropException("Producer pool '" + name + "': interrupted while waiting for a member", e);
        }
        if (index == PoolSlots.CLOSED) {
            throw closedException();
        }
        if (index == PoolSlots.TIMED_OUT) {
            throw new PoolBorrowTimeoutException(name, members.length(), timeout);
        }
        return new Lease(index, members.get(index));
    }

    /** Size, members borrowed, threads waiting, members replaced so far, and whether the pool is closed. */
    public Stats stats() {
        int[] s = slots.snapshot();
        return new Stats(name, s[0], s[1], s[0] - s[1], s[2], replaced.get(), s[3] == 1);
    }

    /** {@link #close(Duration)} with the pool's {@code close-timeout}. */
    @Override
    public void close() {
        close(closeTimeout);
    }

    /**
     * Refuses new borrows (waiting borrowers fail with {@link ProducerClosedException}), waits up to
     * {@code timeout} for borrowed members to come back, then closes every member (each flushing for up to its
     * {@code close-timeout}); a transaction still running then fails. Later and concurrent calls wait for the first.
     *
     * @return whether every borrowed member came back in time
     */
    public boolean close(Duration timeout) {
        if (!closeStarted.compareAndSet(false, true)) {
            return closed.join();
        }
        boolean allReturned = false;
        try {
            allReturned = slots.closeAndAwaitReturned(nanos(timeout));
            if (!allReturned) {
                log.warn("Producer pool '{}': transactions still running after {} ms; closing their members",
                        name, timeout.toMillis());
            }
            List<CompletableFuture<Integer>> closing = new ArrayList<>();
            for (Producer member : members()) {
                closing.add(member.closeAsync());
            }
            for (CompletableFuture<Integer> future : closing) {
                future.exceptionally(e -> {
                    log.warn("Producer pool '{}': a member failed to close", name, e);
                    return 0;
                }).join();
            }
        } finally {
            closed.complete(allReturned);
        }
        return allReturned;
    }

    /** A wait in nanoseconds; durations too long for a long wait "forever". */
    private static long nanos(Duration timeout) {
        return timeout.compareTo(ProducerConfig.MAX_DURATION) > 0 ? Long.MAX_VALUE : timeout.toNanos();
    }

    private Producer newMember(int index) {
        Producer member = new Producer(config.toBuilder()
                .name(name + "-" + index)
                .kafka(TRANSACTIONAL_ID, baseTransactionalId + "-" + index)
                .build());
        member.monitor().subscribe(monitor::emit);
        return member;
    }

    /** Called when a lease is closed: replaces a broken member (outside the slot lock), then frees the slot. */
    private void giveBack(int index, Producer producer, KafkaError knownFatal, String knownReason) {
        try {
            String reason = knownReason;
            KafkaError cause = knownFatal;
            if (reason == null) {
                cause = producer.fatalError();
                reason = brokenBecause(producer, cause);
            }
            if (reason != null && !slots.isClosed() && members.get(index) == producer) {
                replace(index, producer, cause, reason);
            }
        } finally {
            slots.release(index);
        }
    }

    private static String brokenBecause(Producer producer, KafkaError fatal) {
        if (fatal != null) {
            return "fatal error " + fatal;
        }
        if (producer.state() == ProducerState.CLOSED || producer.state() == ProducerState.CLOSING) {
            return "the member was closed";
        }
        String pollingFailure = producer.pollingInfo().failure();
        return pollingFailure != null ? "polling stopped: " + pollingFailure : null;
    }

    private void replace(int index, Producer broken, KafkaError cause, String reason) {
        Producer fresh;
        try {
            fresh = newMember(index);
        } catch (RuntimeException e) {
            // Keep the broken member: the next borrower sees its error, and its return tries again.
            monitor.emit(new Event.ErrorOccurred(broken.name(), "pool.replace", cause, e, null));
            return;
        }
        members.set(index, fresh);
        replaced.incrementAndGet();
        try {
            broken.forceClose(); // a fatal client has nothing left worth flushing
        } catch (RuntimeException e) {
            broken.closeAsync(); // e.g. given back on a polling thread, where close() is refused
        }
        log.warn("Producer pool '{}': replaced member {} ({})", name, broken.name(), reason);
        monitor.emit(new Event.PoolMemberReplaced(broken.name(), index, cause, reason));
    }

    private ProducerClosedException closedException() {
        return new ProducerClosedException("Producer pool '" + name + "' is closed");
    }

    @Override
    public String toString() {
        Stats s = stats();
        return "ProducerPool[" + name + ", size " + s.size() + ", borrowed " + s.borrowed() + "]";
    }

    /** The work of one pooled transaction, given the member it runs on. */
    @FunctionalInterface
    public interface Body<T> {
        T run(Producer producer) throws Exception;
    }

    /**
     * A snapshot of the pool.
     *
     * @param borrowed members lent out (in a transaction or held by a lease)
     * @param idle members free to borrow
     * @param waiting threads waiting to borrow
     * @param replaced members replaced since the pool was built
     */
    public record Stats(String name, int size, int borrowed, int idle, int waiting, long replaced, boolean closed) {
    }

    /** A borrowed member; {@link #close()} gives it back (idempotent). Not for sharing between threads. */
    public final class Lease implements AutoCloseable {

        private final int index;
        private final Producer producer;
        private final AtomicBoolean returned = new AtomicBoolean();
        private KafkaError fatal;
        private String brokenReason;

        private Lease(int index, Producer producer) {
            this.index = index;
            this.producer = producer;
        }

        /** The member: run {@link Producer#transaction} on it (its {@code transactional.id} is {@code <base>-<index>}). */
        public Producer producer() {
            return producer;
        }

        /** The member's index in the pool. */
        public int index() {
            return index;
        }

        /**
         * Marks the member to be replaced when given back if {@code failure} is fatal (a fatal librdkafka error, or
         * one WaterDrop treats as fatal), whatever the member's state then; for a caller that runs the transaction
         * itself (Spring's transaction manager).
         *
         * @return {@code failure}, to rethrow
         */
        public TransactionException replaceOnReturnIfFatal(TransactionException failure) {
            if (failure.isFatal()) {
                replaceOnReturn(failure.error(), "fatal transaction error " + failure.error());
            }
            return failure;
        }

        /** Marks the member to be replaced when given back, whatever its state then. */
        void replaceOnReturn(KafkaError cause, String reason) {
            this.fatal = cause;
            this.brokenReason = reason;
        }

        /** Gives the member back; a member with a fatal error, closed, or not polled any more is replaced. */
        @Override
        public void close() {
            if (returned.compareAndSet(false, true)) {
                giveBack(index, producer, fatal, brokenReason);
            }
        }
    }

    /** Pool settings; {@link #build()} checks them. */
    public static final class Builder {

        private final ProducerConfig config;
        private int size = 1;
        private Duration borrowTimeout;
        private Duration closeTimeout;

        private Builder(ProducerConfig config) {
            this.config = config;
        }

        /** How many members (at least 1). Default 1. */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** How long {@link ProducerPool#transaction} waits for a free member. Default: the config's max-wait-timeout. */
        public Builder borrowTimeout(Duration timeout) {
            this.borrowTimeout = timeout;
            return this;
        }

        /** How long {@link ProducerPool#close()} waits for running transactions. Default: the config's close-timeout. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        public ProducerPool build() {
            return new ProducerPool(checked());
        }

        private Builder checked() {
            if (config == null) {
                throw new ConfigurationException("config", "a producer pool needs a ProducerConfig");
            }
            String base = config.kafka().get(TRANSACTIONAL_ID);
            if (base == null || base.isBlank()) {
                throw new ConfigurationException("kafka." + TRANSACTIONAL_ID, "Producer pool '" + config.name()
                        + "' needs kafka transactional.id: members use <transactional.id>-<index>");
            }
            if (size < 1) {
                throw new ConfigurationException("pool-size", "pool-size must be at least 1 but was " + size);
            }
            checkDuration("borrow-timeout", borrowTimeout);
            checkDuration("close-timeout", closeTimeout);
            return this;
        }

        private static void checkDuration(String key, Duration value) {
            if (value != null && (value.isNegative() || value.compareTo(ProducerConfig.MAX_DURATION) > 0)) {
                throw new ConfigurationException(key, key + " must be between 0 and "
                        + ProducerConfig.MAX_DURATION.toMillis() + " ms but was " + value);
            }
        }
    }
}
