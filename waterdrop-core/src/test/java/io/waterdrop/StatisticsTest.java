package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** librdkafka's statistics reach the monitor, parsed, on the polling thread; a failing listener is isolated. */
class StatisticsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void statisticsArriveParsedOnThePollingThread(PollingMode mode) {
        List<Event.StatisticsEmitted> emitted = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("stats", mode)
                .kafka("statistics.interval.ms", "100").build())) {
            producer.monitor().subscribe(Event.StatisticsEmitted.class, e -> {
                emitted.add(e);
                threads.add(Thread.currentThread().getName());
            });
            producer.connect();
            await().atMost(WAIT).until(() -> emitted.size() >= 3);

            assertThat(threads).containsOnly(CoreFixtures.expectedCallbackThread(producer));
            Event.StatisticsEmitted event = emitted.get(0);
            assertThat(event.producer()).isEqualTo(producer.name());
            assertThat(event.type()).isEqualTo("statistics.emitted");
            assertThat(event.json()).startsWith("{").endsWith("}");
            Map<String, Object> stats = event.statistics();
            assertThat(stats).containsEntry("type", "producer")
                    .containsEntry("client_id", "waterdrop-" + producer.name());
            assertThat((String) stats.get("name")).startsWith("waterdrop-" + producer.name() + "#producer-");
            assertThat(stats.get("ts")).isInstanceOf(Long.class);
            assertThat(stats.get("brokers")).isInstanceOf(Map.class);
            assertThat(event.statistics()).as("parsed once, then cached").isSameAs(stats);
        }
    }

    @ParameterizedTest
    @EnumSource(PollingMode.class)
    void throwingStatisticsListenerBecomesAnErrorEventAndStatisticsKeepComing(PollingMode mode) {
        RuntimeException boom = new IllegalStateException("statistics listener failed");
        List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();
        List<Event.StatisticsEmitted> seenByOthers = new CopyOnWriteArrayList<>();
        try (Producer producer = new Producer(brokerConfig("stats-throw", mode)
                .kafka("statistics.interval.ms", "100").build())) {
            producer.monitor().subscribe(Event.StatisticsEmitted.class, e -> {
                throw boom;
            });
            producer.monitor().subscribe(Event.StatisticsEmitted.class, seenByOthers::add);
            producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add);
            producer.connect();

            await().atMost(WAIT).until(() -> errors.size() >= 3 && seenByOthers.size() >= 3);
            assertThat(errors).allSatisfy(e -> {
                assertThat(e.errorType()).isEqualTo("callbacks.statistics.error");
                assertThat(e.cause()).isSameAs(boom);
                assertThat(e.producer()).isEqualTo(producer.name());
                assertThat(e.description()).isEqualTo("callbacks.statistics.error: " + boom);
            });
            assertThat(producer.state()).isEqualTo(ProducerState.CONNECTED);
        }
    }
}
