package io.waterdrop.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.internal.nativelib.NativeLibraries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/** The produce path's buffer pool: reuse, exclusive ownership under concurrency, and big messages. */
class NativeBuffersTest {

    private final NativeBuffers buffers = new NativeBuffers(NativeLibraries.libc());

    @Test
    void aReturnedBufferIsReused() {
        Pointer first = buffers.take(100);
        buffers.give(first, 100);

        Pointer second = buffers.take(NativeBuffers.BUFFER_SIZE);
        assertThat(second.address()).isEqualTo(first.address());
        buffers.give(second, NativeBuffers.BUFFER_SIZE);
    }

    @Test
    void buffersTakenAtTheSameTimeAreDistinct() {
        List<Pointer> taken = new ArrayList<>();
        for (int i = 0; i < NativeBuffers.SLOTS * 2; i++) {
            taken.add(buffers.take(64));
        }
        assertThat(taken.stream().map(Pointer::address).distinct()).hasSize(taken.size());
        taken.forEach(p -> buffers.give(p, 64));
    }

    @Test
    void concurrentHoldersNeverShareABuffer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                byte mark = (byte) (t + 1);
                results.add(pool.submit(() -> {
                    int corrupted = 0;
                    byte[] fill = new byte[NativeBuffers.BUFFER_SIZE];
                    Arrays.fill(fill, mark);
                    byte[] back = new byte[fill.length];
                    for (int i = 0; i < 5_000; i++) {
                        Pointer buffer = buffers.take(fill.length);
                        buffer.put(0, fill, 0, fill.length);
                        Thread.yield(); // let another holder run while this one owns the buffer
                        buffer.get(0, back, 0, back.length);
                        if (!Arrays.equals(fill, back)) {
                            corrupted++;
                        }
                        buffers.give(buffer, fill.length);
                    }
                    return corrupted;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMessageBiggerThanAPooledBufferGetsItsOwn() {
        int size = NativeBuffers.BUFFER_SIZE * 3 + 7;
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) i;
        }
        Pointer buffer = buffers.take(size);
        buffer.put(0, data, 0, size);
        byte[] back = new byte[size];
        buffer.get(0, back, 0, size);
        assertThat(back).isEqualTo(data);
        buffers.give(buffer, size); // freed, not pooled
    }
}
