package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * After {@code reopen()}, what a Poller still holds for the OLD client (a registration it has not released yet)
 * must never act on the NEW client (issue 7, defect 6): the callbacks object is bound to one native handle.
 */
class ReopenCallbacksTest {

    @Test
    void aStaleRegistrationOfTheOldClientNeverTouchesTheNewOne() {
        String topic = KafkaBroker.newTopic("reopen-bound");
        // A 30 s poll timeout: only librdkafka's io events wake this Poller, so io events switched off on the new
        // client would leave its reports unserved far beyond max-wait-timeout.
        Poller poller = new Poller(Duration.ofSeconds(30));
        try (Producer producer = new Producer(brokerConfig("reopen-bound", PollingMode.FD).poller(poller)
                .maxWaitTimeout(Duration.ofSeconds(10)).build())) {
            producer.produceSync(Message.of(topic, "first client"));
            PolledClient oldClient = producer.polledClient();
            producer.close();
            producer.reopen();
            producer.produceSync(Message.of(topic, "second client"));
            assertThat(producer.polledClient()).isNotSameAs(oldClient);

            // What a stale registration of the old client does when its Poller serves, then releases it.
            assertThat(oldClient.poll(0)).isZero();
            assertThat(oldClient.outqLen()).isZero();
            oldClient.ioEvents(-1);

            DeliveryReport after = producer.produceSync(Message.of(topic, "after the stale release"));
            assertThat(after.offset()).isEqualTo(2);
        }
        assertThat(KafkaBroker.read(topic, 3)).extracting(CoreFixtures::value)
                .containsExactly("first client", "second client", "after the stale release");
    }
}
