package io.waterdrop.internal.producer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The entries of one producer's messages that wait for a delivery report, in slots indexed by the opaque id librdkafka
 * hands back: no boxing, no hashing, no allocation per message (a {@code ConcurrentHashMap<Long, ...>} was about a
 * quarter of the polling thread's time in the bulk profile).
 *
 * <p>An opaque is {@code generation << 32 | slot}. A slot's state is the opaque of its occupant, or the bitwise NOT of
 * the last one while free, so the next occupant gets the next generation. {@link #remove} takes an entry with one CAS
 * on the state from exactly that opaque, so every entry is taken exactly once (by a report, a failed produce, or
 * {@link #drain} at close, whichever comes first), and a stale opaque never takes a newer occupant of its slot: the
 * slot would have to be reused 2^31 times in between.
 *
 * <p>Growable in chunks that double (64, 128, 256, ... slots), so an idle producer holds about 1 KB, and one with
 * 100,000 messages in flight about 2 MB. Chunks are never released. Free slots form a lock-free stack (head with an
 * ABA tag); growing takes a lock, once per chunk. Safe for any number of threads, virtual ones included (no
 * {@code synchronized}, no ThreadLocal).
 *
 * <p>Memory ordering: an entry is written before the volatile write of its slot's state and read after the CAS that
 * takes it; a slot goes back to the stack (a CAS) only after its entry was cleared.
 */
final class PendingTable {

    private static final int FIRST_CHUNK_BITS = 6;
    /** Chunk k holds 64 << k slots; 25 chunks hold 2^31 - 64 slots, the most an int index (and an opaque) allows. */
    static final int MAX_CHUNKS = 31 - FIRST_CHUNK_BITS;
    private static final long SLOT_MASK = 0xFFFF_FFFFL;
    private static final long MAX_GENERATION = Integer.MAX_VALUE;
    /** Head of the free stack: {@code tag << 32 | (slot + 1)}, 0 in the low half when empty. */
    private static final long EMPTY = 0;

    private final AtomicReferenceArray<Chunk> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);
    private final AtomicLong freeHead = new AtomicLong(EMPTY);
    private final ReentrantLock growLock = new ReentrantLock();
    /** Chunks allocated; written under {@link #growLock}. */
    private volatile int chunkCount;

    private static final class Chunk {
        /** Per slot: the occupant's opaque (> 0), or ~(last opaque) (< 0), or 0 when never used. */
        final AtomicLongArray state;
        /** Per slot: the occupant's entry; plain, ordered by {@link #state} (see the class comment). */
        final Object[] entries;
        /** Per free slot: the next free slot + 1, 0 at the end of the stack. */
        final int[] next;

        Chunk(int size) {
            state = new AtomicLongArray(size);
            entries = new Object[size];
            next = new int[size];
        }
    }

    /** Stores {@code entry} (non-null) and returns its opaque (> 0). */
    long add(Object entry) {
        int slot = pop();
        Chunk chunk = chunks.get(chunkOf(slot));
        int at = offsetIn(slot);
        long previous = chunk.state.get(at);
        long generation = previous == 0 ? 1 : ((~previous) >>> 32) % MAX_GENERATION + 1;
        long opaque = generation << 32 | slot;
        chunk.entries[at] = entry;
        chunk.state.set(at, opaque); // publishes the entry
        return opaque;
    }

    /** Takes the entry stored under {@code opaque}, or returns {@code null} when it was taken already or is unknown. */
    Object remove(long opaque) {
        if (opaque <= 0) {
            return null;
        }
        long slotLong = opaque & SLOT_MASK;
        if (slotLong >= capacity(MAX_CHUNKS)) {
            return null;
        }
        int slot = (int) slotLong;
        int chunkIndex = chunkOf(slot);
        Chunk chunk = chunks.get(chunkIndex);
        if (chunk == null) {
            return null;
        }
        int at = offsetIn(slot);
        if (!chunk.state.compareAndSet(at, opaque, ~opaque)) {
            return null;
        }
        Object entry = chunk.entries[at];
        chunk.entries[at] = null;
        push(chunk, at, slot);
        return entry;
    }

    /** Takes every entry stored now and hands each to {@code action}; each entry is taken once, here or elsewhere. */
    int drain(Consumer<Object> action) {
        int taken = 0;
        int count = chunkCount;
        for (int k = 0; k < count; k++) {
            Chunk chunk = chunks.get(k);
            for (int at = 0; at < chunk.entries.length; at++) {
                long opaque = chunk.state.get(at);
                if (opaque > 0) {
                    Object entry = remove(opaque);
                    if (entry != null) {
                        taken++;
                        action.accept(entry);
                    }
                }
            }
        }
        return taken;
    }

    /** Entries stored now (a scan: for metrics and close, not for the hot path). */
    int size() {
        int size = 0;
        int count = chunkCount;
        for (int k = 0; k < count; k++) {
            AtomicLongArray state = chunks.get(k).state;
            for (int at = 0; at < state.length(); at++) {
                if (state.get(at) > 0) {
                    size++;
                }
            }
        }
        return size;
    }

    boolean isEmpty() {
        int count = chunkCount;
        for (int k = 0; k < count; k++) {
            AtomicLongArray state = chunks.get(k).state;
            for (int at = 0; at < state.length(); at++) {
                if (state.get(at) > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Slots allocated so far (memory held), for tests. */
    int capacity() {
        return capacity(chunkCount);
    }

    private int pop() {
        while (true) {
            long head = freeHead.get();
            int top = (int) (head & SLOT_MASK) - 1;
            if (top < 0) {
                int grown = grow();
                if (grown >= 0) {
                    return grown;
                }
                continue; // another thread grew the table meanwhile
            }
            Chunk chunk = chunks.get(chunkOf(top));
            // May read a link that changes under us (top popped and pushed again); the tag then fails the CAS.
            long next = chunk.next[offsetIn(top)];
            if (freeHead.compareAndSet(head, nextTag(head) | next)) {
                return top;
            }
        }
    }

    private void push(Chunk chunk, int at, int slot) {
        while (true) {
            long head = freeHead.get();
            chunk.next[at] = (int) (head & SLOT_MASK);
            if (freeHead.compareAndSet(head, nextTag(head) | (slot + 1L))) {
                return;
            }
        }
    }

    /** Adds a chunk and returns one of its slots (the rest go onto the free stack), or -1 when slots became free. */
    private int grow() {
        growLock.lock();
        try {
            if ((freeHead.get() & SLOT_MASK) != 0) {
                return -1;
            }
            int k = chunkCount;
            if (k == MAX_CHUNKS) {
                throw new IllegalStateException("more than " + capacity(MAX_CHUNKS) + " messages pending");
            }
            int size = 1 << (FIRST_CHUNK_BITS + k);
            Chunk chunk = new Chunk(size);
            int first = capacity(k);
            // Link slots first+1 .. first+size-1 into a chain; the last one points at whatever the stack holds then.
            for (int at = 1; at < size - 1; at++) {
                chunk.next[at] = first + at + 2; // slot (first + at + 1), stored + 1
            }
            chunks.set(k, chunk);
            chunkCount = k + 1;
            if (size > 1) {
                while (true) {
                    long head = freeHead.get();
                    chunk.next[size - 1] = (int) (head & SLOT_MASK);
                    if (freeHead.compareAndSet(head, nextTag(head) | (first + 2L))) {
                        break;
                    }
                }
            }
            return first;
        } finally {
            growLock.unlock();
        }
    }

    private static long nextTag(long head) {
        return (head + (1L << 32)) & ~SLOT_MASK;
    }

    /** Slots in chunks 0 .. k-1: 64 * (2^k - 1). */
    private static int capacity(int k) {
        return (int) ((1L << FIRST_CHUNK_BITS) * ((1L << k) - 1));
    }

    private static int chunkOf(int slot) {
        return 31 - Integer.numberOfLeadingZeros((slot >>> FIRST_CHUNK_BITS) + 1);
    }

    private static int offsetIn(int slot) {
        return slot - capacity(chunkOf(slot));
    }
}
