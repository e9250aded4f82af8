package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Only the producer completes a {@link DeliveryHandle}; callers cannot hide the real outcome (issue 7, defect 9). */
class DeliveryHandleReadOnlyTest {

    @Test
    void nothingACallerDoesChangesTheReportedOutcome() {
        String topic = KafkaBroker.newTopic("read-only-handle");
        DeliveryReport fake = new DeliveryReport(topic, 7, 12_345, 0, null);
        try (Producer producer = new Producer(brokerConfig("read-only-handle", PollingMode.FD).build())) {
            DeliveryHandle handle = producer.produceAsync(Message.of(topic, "real"));
            assertThat((Object) handle).isNotInstanceOf(CompletableFuture.class);

            CompletableFuture<DeliveryReport> copy = handle.toCompletableFuture();
            copy.complete(fake);
            copy.obtrudeValue(fake);
            handle.thenApply(report -> report).toCompletableFuture().obtrudeValue(fake);

            DeliveryReport real = handle.await();
            assertThat(real).isNotEqualTo(fake);
            assertThat(real.partition()).isZero();
            assertThat(real.offset()).isZero();
            assertThat(handle.toCompletableFuture().join()).isEqualTo(real);
        }
        assertThat(KafkaBroker.read(topic, 1)).extracting(CoreFixtures::value).containsExactly("real");
    }
}
