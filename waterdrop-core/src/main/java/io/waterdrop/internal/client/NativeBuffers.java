package io.waterdrop.internal.client;

import io.waterdrop.internal.nativelib.LibC;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jnr.ffi.Pointer;

/**
 * A small process-wide pool of native buffers for {@link ProduceCall}, so producing a message needs no malloc/free.
 *
 * <p>A buffer belongs to exactly one caller between {@link #take} and {@link #give}; nothing else can reach it then.
 * No ThreadLocal: a virtual thread may run on any carrier, and a buffer tied to a carrier could be handed to two
 * virtual threads at once. Free buffers sit in a fixed array of slots; when every slot is empty a new buffer is
 * allocated, and when every slot is full a returned buffer is freed, so the pool never holds more than
 * {@link #SLOTS} x {@link #BUFFER_SIZE} bytes. Pooled buffers live as long as the JVM.
 */
final class NativeBuffers {

    /** Enough for the vu array, topic, key and payload of a typical message; bigger ones get their own malloc. */
    static final int BUFFER_SIZE = 4096;
    static final int SLOTS = 32;

    private final LibC libc;
    private final AtomicReferenceArray<Pointer> free = new AtomicReferenceArray<>(SLOTS);

    NativeBuffers(LibC libc) {
        this.libc = libc;
    }

    /** A buffer of at least {@code size} bytes, owned by the caller until {@link #give}. */
    Pointer take(long size) {
        if (size <= BUFFER_SIZE) {
            for (int i = 0; i < SLOTS; i++) {
                Pointer buffer = free.get(i);
                if (buffer != null && free.compareAndSet(i, buffer, null)) {
                    return buffer;
                }
            }
        }
        Pointer buffer = libc.malloc(Math.max(size, BUFFER_SIZE));
        if (buffer == null) {
            throw new OutOfMemoryError("malloc(" + Math.max(size, BUFFER_SIZE) + ") failed while producing");
        }
        return buffer;
    }

    /** Returns a buffer {@link #take} gave out for {@code size} bytes; the caller must not touch it any more. */
    void give(Pointer buffer, long size) {
        if (size <= BUFFER_SIZE) {
            for (int i = 0; i < SLOTS; i++) {
                if (free.get(i) == null && free.compareAndSet(i, null, buffer)) {
                    return;
                }
            }
        }
        libc.free(buffer);
    }
}
