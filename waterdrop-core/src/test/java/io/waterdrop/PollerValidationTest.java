package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Poller settings are checked when the configuration is built, with messages that name the setting. */
class PollerValidationTest {

    @Test
    void customPollerNeedsFdMode() {
        assertThatThrownBy(() -> ProducerConfig.builder().pollingMode(PollingMode.THREAD).poller(new Poller()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("polling.poller can only be set when polling.mode is fd")
                .hasMessageContaining("remove the poller or switch the mode to fd")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("polling.poller");
    }

    @Test
    void customPollerWithFdModeIsAccepted() {
        Poller poller = new Poller();
        ProducerConfig config = ProducerConfig.builder().pollingMode(PollingMode.FD).poller(poller).build();
        assertThat(config.poller()).isSameAs(poller);
        assertThat(config.hasDedicatedPoller()).isTrue();
    }

    @Test
    void fdModeWithoutPollerUsesTheGlobalOne() {
        ProducerConfig config = ProducerConfig.builder().pollingMode(PollingMode.FD).build();
        assertThat(config.poller()).isSameAs(Poller.global());
        assertThat(Poller.global().id()).isZero();
        assertThat(Poller.global().threadName()).isEqualTo("waterdrop.poller#0");
    }

    @Test
    void maxTimeBelowOneMillisecondIsRejected() {
        assertThatThrownBy(() -> ProducerConfig.builder().fdMaxTime(Duration.ofNanos(999_999)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("polling.fd.max-time must be at least 1ms but was 0ms")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("polling.fd.max-time");
        assertThat(ProducerConfig.builder().fdMaxTime(Duration.ofMillis(1)).build().fdMaxTime())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void periodicPollIntervalBelowHundredMillisecondsIsRejected() {
        assertThatThrownBy(() -> ProducerConfig.builder().fdPeriodicPollInterval(Duration.ofMillis(99)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("polling.fd.periodic-poll-interval must be at least 100ms but was 99ms")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("polling.fd.periodic-poll-interval");
        assertThat(ProducerConfig.builder().fdPeriodicPollInterval(Duration.ofMillis(100)).build()
                .fdPeriodicPollInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void missingPollingModeIsRejected() {
        assertThatThrownBy(() -> ProducerConfig.builder().pollingMode(null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("polling.mode must be one of thread, fd");
    }

    @Test
    void pollTimeoutBelowOneMillisecondIsRejected() {
        assertThatThrownBy(() -> new Poller(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("poll-timeout must be at least 1ms but was 0ms");
    }

    @Test
    void pollingInfoDescribesTheFdSettings() {
        Poller poller = new Poller();
        Producer producer = new Producer(ProducerConfig.builder().name("described").poller(poller)
                .fdMaxTime(Duration.ofMillis(200)).fdPeriodicPollInterval(Duration.ofMillis(500)).build());

        assertThat(producer.pollingInfo()).isEqualTo(new PollingInfo(PollingMode.FD, poller.threadName(),
                poller.id(), Duration.ofMillis(200), Duration.ofMillis(500), null));
        assertThat(poller.isAlive()).as("nothing starts before the producer connects").isFalse();
    }
}
