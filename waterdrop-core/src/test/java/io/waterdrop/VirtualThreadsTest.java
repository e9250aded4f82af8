package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Thousands of virtual threads calling {@code produceSync} on one producer all succeed, and none pins its carrier
 * while it waits (JFR's {@code jdk.VirtualThreadPinned}, recorded for the whole run, has no event). Compiled for Java
 * 17: virtual threads are reached by reflection; the test runs on 21 and newer (.ci/run runs the suite on 25 too).
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or newer; .ci/run also runs"
        + " the suite on Java 25")
class VirtualThreadsTest {

    private static final int THREADS = 5_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void thousandsOfVirtualThreadsProduceSyncOnOneProducerWithoutPinning() throws Exception {
        String topic = KafkaBroker.newTopic("virtual", 4);
        Path jfr = Files.createTempFile("waterdrop-virtual-threads-", ".jfr");
        List<RecordedEvent> pinned = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (Producer producer = Producer.create(CoreFixtures.brokerConfig("virtual", PollingMode.FD).build());
                Recording recording = new Recording()) {
            producer.produceSync(Message.of(topic, "warm-up"));
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(20)).withStackTrace();
            recording.start();
            ExecutorService virtualThreads = (ExecutorService) Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            try {
                List<Future<DeliveryReport>> sends = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    Message message = Message.of(topic, "virtual-" + i);
                    sends.add(virtualThreads.submit(() -> producer.produceSync(message)));
                }
                for (Future<DeliveryReport> send : sends) {
                    DeliveryReport report = send.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    assertThat(report.isDelivered()).isTrue();
                    offsets.add(report.partition() * 1_000_000L + report.offset());
                }
            } finally {
                virtualThreads.shutdownNow();
            }
            recording.stop();
            recording.dump(jfr);
            pinned.addAll(RecordingFile.readAllEvents(jfr));
        } finally {
            Files.deleteIfExists(jfr);
        }
        assertThat(offsets).hasSize(THREADS).doesNotHaveDuplicates();
        assertThat(pinned).as("virtual threads that pinned their carrier for 20 ms or more")
                .extracting(event -> String.valueOf(event.getStackTrace())).isEmpty();
    }
}
