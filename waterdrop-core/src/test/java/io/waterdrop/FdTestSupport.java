package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.ProcessResources;
import java.time.Duration;
import java.util.List;

/** Shared helpers of the fd-mode Poller tests: configurations against the test broker, and thread and fd counts. */
final class FdTestSupport {

    /** Generous: the CI machine has two cores shared with other builds. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private FdTestSupport() {
    }

    /** An fd-mode configuration against the shared test broker. */
    static ProducerConfig.Builder fdConfig() {
        return ProducerConfig.builder()
                .bootstrapServers(KafkaBroker.bootstrapServers())
                .pollingMode(PollingMode.FD)
                .kafka("linger.ms", "1");
    }

    /** An fd-mode configuration served by {@code poller}. */
    static ProducerConfig.Builder fdConfig(Poller poller) {
        return fdConfig().poller(poller);
    }

    /** Names of the live JVM threads that start with {@code prefix}, sorted. */
    static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .sorted()
                .toList();
    }

    /** Threads WaterDrop polls with: Poller threads and thread-mode polling threads. */
    static List<String> pollingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("waterdrop.poller#") || name.startsWith("waterdrop.native_kafka#"))
                .sorted()
                .toList();
    }

    /** Open file descriptors of this process (Linux: entries of /proc/self/fd). */
    static int openFileDescriptors() {
        return ProcessResources.now().openFds();
    }

    /** Closes every producer, failing if any close had to purge undelivered messages. */
    static void closeAll(List<Producer> producers) {
        for (Producer producer : producers) {
            assertThat(producer.close(producer.config().closeTimeout()))
                    .as("messages of %s purged by close", producer.name()).isZero();
        }
    }
}
