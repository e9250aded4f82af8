package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.internal.polling.FdRegistration;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Poller's own wake-up (new registrations) is coalesced through a flag and one byte on its wake-up pipe. If the
 * loop cleared the flag BEFORE draining the pipe, a registration landing between the two had its byte drained while
 * the flag stayed set for the rest of the thread's life: no later registration wrote a byte, and each waited for a
 * full poll-timeout. With a 30 s poll timeout, 8 threads registering and closing must never wait that long.
 */
class PollerWakeupTest {

    private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(30);
    /** Far below the poll timeout and far above any healthy admission, even on a loaded 2-core machine. */
    private static final Duration ADMITTED_WITHIN = Duration.ofSeconds(10);
    private static final int THREADS = 8;
    private static final int CYCLES_PER_THREAD = 2_000;

    @Test
    void registrationsAndClosesFromEightThreadsNeverWaitForThePollTimeout() throws Exception {
        String topic = KafkaBroker.newTopic("wakeup-stress");
        Poller poller = new Poller(LONG_POLL_TIMEOUT);
        // Real producers keep the thread alive for the whole test: a thread that stopped and restarted would get a
        // fresh wake-up flag and hide a stuck one.
        List<Producer> anchors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            anchors.add(Producer.create(fdConfig(poller).name("wakeup-anchor-" + i).build()));
        }
        Thread pollerThread = poller.loop().thread();
        AtomicInteger cycles = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                results.add(workers.submit(() -> {
                    for (int i = 0; i < CYCLES_PER_THREAD; i++) {
                        registerAndClose(poller, "wakeup-" + worker + "-" + i);
                        cycles.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(PATIENCE.toMillis() * 4, TimeUnit.MILLISECONDS);
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(cycles.get()).isEqualTo(THREADS * CYCLES_PER_THREAD);
        assertThat(poller.loop().thread()).as("one thread life for the whole test").isSameAs(pollerThread);
        // The anchors were served all along and still deliver.
        for (Producer anchor : anchors) {
            assertThat(anchor.produceSync(Message.of(topic, anchor.name())).isDelivered()).isTrue();
        }
        FdTestSupport.closeAll(anchors);
        assertThat(KafkaBroker.read(topic, 2)).hasSize(2);
        assertThat(poller.stats().loopErrors()).isZero();
        assertThat(poller.awaitStopped(PATIENCE)).isTrue();
    }

    /** Registers a simulated producer, waits for its admission, closes it and waits for its release. */
    private static void registerAndClose(Poller poller, String name) throws Exception {
        AdmissionTrackingClient client = new AdmissionTrackingClient(name);
        FdRegistration registration = client.registration(Duration.ofMillis(100));
        poller.loop().register(registration);
        if (!client.admitted.await(ADMITTED_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name + " was not admitted within " + ADMITTED_WITHIN
                    + ": the Poller's wake-up was lost");
        }
        registration.requestClose();
        registration.unregistered().get(ADMITTED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static final class AdmissionTrackingClient extends SimulatedClient {
        final CountDownLatch admitted = new CountDownLatch(1);

        AdmissionTrackingClient(String name) {
            super(name);
        }

        @Override
        public void registered(int pollerId) {
            super.registered(pollerId);
            admitted.countDown();
        }
    }
}
