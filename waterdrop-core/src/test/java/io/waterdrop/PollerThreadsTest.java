package io.waterdrop;

import static io.waterdrop.FdTestSupport.PATIENCE;
import static io.waterdrop.FdTestSupport.fdConfig;
import static io.waterdrop.FdTestSupport.threadsNamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.test.KafkaBroker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Thread names and counts: fd mode adds ONE thread per Poller however many producers it serves (librdkafka's own
 * threads are native and never attached to the JVM, because every callback runs on our polling thread), thread mode
 * adds one per producer. Poller threads start with their first producer and stop after their last.
 */
class PollerThreadsTest {

    @Test
    void sixProducersOverTheGlobalADedicatedAndASharedDedicatedPoller() {
        String topic = KafkaBroker.newTopic("six-producers");
        Poller dedicated = new Poller();
        Poller shared = new Poller();
        List<Producer> onGlobal = connect(2, "six-global", null);
        List<Producer> onDedicated = connect(1, "six-dedicated", dedicated);
        List<Producer> onShared = connect(3, "six-shared", shared);
        List<Producer> all = new ArrayList<>(onGlobal);
        all.addAll(onDedicated);
        all.addAll(onShared);
        all.forEach(p -> assertThat(p.produceSync(Message.of(topic, p.name())).isDelivered()).isTrue());

        assertThat(threadsNamed("waterdrop.poller#"))
                .hasSizeGreaterThanOrEqualTo(3)
                .contains("waterdrop.poller#0", "waterdrop.poller#" + dedicated.id(), "waterdrop.poller#" + shared.id());
        assertThat(dedicated.stats().producers()).containsExactly("six-dedicated-0");
        assertThat(shared.stats().producers()).containsExactly("six-shared-0", "six-shared-1", "six-shared-2");
        assertThat(Poller.global().stats().producers()).contains("six-global-0", "six-global-1");
        assertThat(all).extracting(p -> p.pollingInfo().threadName()).containsExactly(
                "waterdrop.poller#0", "waterdrop.poller#0", dedicated.threadName(),
                shared.threadName(), shared.threadName(), shared.threadName());

        onDedicated.get(0).close();
        awaitStopped(dedicated);

        onShared.get(0).close();
        onShared.get(1).close();
        assertThat(shared.isAlive()).as("a shared Poller runs while one producer is left").isTrue();
        onShared.get(2).close();
        awaitStopped(shared);

        FdTestSupport.closeAll(onGlobal);
        assertThat(Poller.global().stats().producers()).doesNotContain("six-global-0", "six-global-1");
        assertThat(KafkaBroker.read(topic, 6)).hasSize(6);
    }

    @Test
    void tenFdProducersOnTheGlobalPollerAddExactlyOneThread() {
        await("the global Poller to be idle (another test left fd producers open?)").atMost(PATIENCE)
                .until(() -> !Poller.global().isAlive() && threadsNamed("waterdrop.poller#0").isEmpty());
        Set<String> before = liveThreadNames();

        List<Producer> producers = connect(10, "ten-global", null);

        assertThat(newThreads(before)).as("threads started by 10 fd producers on the global Poller")
                .containsExactly("waterdrop.poller#0");
        FdTestSupport.closeAll(producers);
        awaitStopped(Poller.global());
    }

    @Test
    void tenFdProducersOnADedicatedPollerAddExactlyOneThread() {
        Poller poller = new Poller();
        Set<String> before = liveThreadNames();

        List<Producer> producers = connect(10, "ten-dedicated", poller);

        assertThat(newThreads(before)).containsExactly(poller.threadName());
        assertThat(poller.stats().producers()).hasSize(10);
        FdTestSupport.closeAll(producers);
        awaitStopped(poller);
    }

    @Test
    void tenThreadModeProducersAddAThreadEach() {
        Set<String> before = liveThreadNames();
        List<Producer> producers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            producers.add(Producer.create(ProducerConfig.builder().bootstrapServers(KafkaBroker.bootstrapServers())
                    .pollingMode(PollingMode.THREAD).name("ten-thread-" + i).build()));
        }

        assertThat(newThreads(before)).hasSizeGreaterThanOrEqualTo(10)
                .filteredOn(name -> name.startsWith("waterdrop.native_kafka#ten-thread-")).hasSize(10);
        FdTestSupport.closeAll(producers);
        await().atMost(PATIENCE).until(() -> threadsNamed("waterdrop.native_kafka#ten-thread-").isEmpty());
    }

    @Test
    void aStoppedPollerStartsAgainForTheNextProducer() {
        Poller poller = new Poller();
        Producer first = Producer.create(fdConfig(poller).name("restart-first").build());
        first.close();
        awaitStopped(poller);

        Producer second = Producer.create(fdConfig(poller).name("restart-second").build());
        assertThat(poller.isAlive()).isTrue();
        assertThat(threadsNamed(poller.threadName())).containsExactly(poller.threadName());
        assertThat(poller.stats().threadStarts()).isEqualTo(2);
        second.close();
        awaitStopped(poller);
    }

    private static List<Producer> connect(int count, String prefix, Poller poller) {
        List<Producer> producers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            producers.add(Producer.create(fdConfig().poller(poller).name(prefix + "-" + i).build()));
        }
        return producers;
    }

    private static void awaitStopped(Poller poller) {
        await(poller.threadName() + " to stop").atMost(PATIENCE)
                .until(() -> !poller.isAlive() && threadsNamed(poller.threadName()).isEmpty());
        assertThat(poller.stats().producers()).isEmpty();
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * Threads alive now that were not before, sorted. Only the test tooling's own pools are left out: a librdkafka
     * thread calling into Java would show up here (as "Thread-N") and fail the count, as it should.
     */
    private static List<String> newThreads(Set<String> before) {
        return liveThreadNames().stream()
                .filter(name -> !before.contains(name))
                .filter(name -> !name.startsWith("awaitility") && !name.startsWith("ForkJoinPool"))
                .sorted()
                .toList();
    }
}
