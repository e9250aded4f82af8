package io.waterdrop.internal.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class PendingTableTest {

    @Test
    void anIdleTableHoldsNoSlotsAndGrowsInDoublingChunks() {
        PendingTable table = new PendingTable();
        assertThat(table.capacity()).isZero();

        long first = table.add("a");
        assertThat(table.capacity()).isEqualTo(64);
        List<Long> opaques = new ArrayList<>(List.of(first));
        for (int i = 1; i < 65; i++) {
            opaques.add(table.add("m" + i));
        }
        assertThat(table.capacity()).isEqualTo(64 + 128);
        assertThat(table.size()).isEqualTo(65);
        assertThat(new HashSet<>(opaques)).hasSize(65).allSatisfy(opaque -> assertThat(opaque).isPositive());

        opaques.forEach(table::remove);
        assertThat(table.isEmpty()).isTrue();
        // Freed slots are reused before the table grows again.
        for (int i = 0; i < 192; i++) {
            table.add(i);
        }
        assertThat(table.capacity()).isEqualTo(192);
    }

    @Test
    void aStaleOpaqueNeverTakesTheNextOccupantOfItsSlot() {
        PendingTable table = new PendingTable();
        long old = table.add("old");
        assertThat(table.remove(old)).isEqualTo("old");

        long reused = table.add("new");
        assertThat(reused & 0xFFFF_FFFFL).isEqualTo(old & 0xFFFF_FFFFL); // same slot
        assertThat(reused).isNotEqualTo(old); // next generation
        assertThat(table.remove(old)).isNull();
        assertThat(table.remove(0)).isNull();
        assertThat(table.remove(-1)).isNull();
        assertThat(table.remove(Long.MAX_VALUE)).isNull();
        assertThat(table.remove(reused)).isEqualTo("new");
        assertThat(table.remove(reused)).isNull();
    }

    @Test
    void concurrentAddsRemovesAndADrainTakeEveryEntryExactlyOnce() throws Exception {
        PendingTable table = new PendingTable();
        int threads = 8;
        int perThread = 20_000;
        AtomicIntegerArray taken = new AtomicIntegerArray(threads * perThread);
        ConcurrentLinkedQueue<Long> reports = new ConcurrentLinkedQueue<>();
        AtomicInteger removedByReports = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            producers.add(new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    long opaque = table.add(base + i);
                    if (i % 3 == 0) { // "refused by librdkafka": the producing thread takes it back
                        take(table.remove(opaque), taken);
                    } else {
                        reports.add(opaque);
                    }
                }
            }));
        }
        // One "polling thread" takes reported entries while the producers add; it also retries stale opaques.
        Thread poller = new Thread(() -> {
            await(start);
            while (removedByReports.get() < threads * perThread / 2) {
                Long opaque = reports.poll();
                if (opaque != null) {
                    take(table.remove(opaque), taken);
                    take(table.remove(opaque), taken); // a second report for it must find nothing
                    removedByReports.incrementAndGet();
                }
            }
        });
        producers.forEach(Thread::start);
        poller.start();
        start.countDown();
        for (Thread producer : producers) {
            producer.join();
        }
        poller.join();
        // Close: whatever is still stored is failed once, racing with late reports.
        Thread lateReports = new Thread(() -> {
            for (Long opaque = reports.poll(); opaque != null; opaque = reports.poll()) {
                take(table.remove(opaque), taken);
            }
        });
        lateReports.start();
        table.drain(entry -> take(entry, taken));
        lateReports.join();

        assertThat(table.isEmpty()).isTrue();
        for (int i = 0; i < taken.length(); i++) {
            assertThat(taken.get(i)).as("entry %d taken", i).isEqualTo(1);
        }
        // No more slots than entries ever stored at once (at most all of them), in doubling chunks.
        assertThat(table.capacity()).isLessThanOrEqualTo(2 * threads * perThread);
    }

    @Test
    void opaquesOfLiveEntriesAreUnique() {
        PendingTable table = new PendingTable();
        Set<Long> live = new HashSet<>();
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 100; i++) {
                assertThat(live.add(table.add(i))).isTrue();
            }
            List<Long> some = new ArrayList<>(live).subList(0, 60);
            for (Long opaque : some) {
                assertThat(table.remove(opaque)).isNotNull();
                live.remove(opaque);
            }
        }
        assertThat(table.size()).isEqualTo(live.size());
    }

    private static void take(Object entry, AtomicIntegerArray taken) {
        if (entry != null) {
            taken.incrementAndGet((Integer) entry);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
