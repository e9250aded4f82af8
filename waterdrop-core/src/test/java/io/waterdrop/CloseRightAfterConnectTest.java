package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A producer closed right after connecting is closed while its Poller admits it; its closed pipe must never reach
 * poll(2) (POLLNVAL made the loop fail and back off, and a reused fd number could be watched for the wrong producer).
 */
class CloseRightAfterConnectTest {

    @Test
    void closingRightAfterConnectNeverFailsThePollerLoop() throws InterruptedException {
        Poller poller = new Poller(Duration.ofMillis(200));
        for (int i = 0; i < 30; i++) {
            Producer producer = new Producer(ProducerConfig.builder().name("quick-" + i)
                    .bootstrapServers("127.0.0.1:1").poller(poller).build());
            producer.connect();
            producer.close();
        }
        assertThat(poller.awaitStopped(Duration.ofSeconds(30))).isTrue();
        assertThat(poller.stats().loopErrors()).isZero();
        assertThat(poller.stats().producers()).isEmpty();
    }
}
