package io.waterdrop;

import static io.waterdrop.CoreFixtures.brokerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A blocking call on producer B from producer A's callback would stall A's polling thread (and every producer it
 * serves), or deadlock when that thread also serves B: it is refused at once, whichever thread serves A and B
 * (issue 7, defect 10).
 */
class CrossProducerWaitTest {

    /** Where A and B are served. */
    enum Topology {
        SAME_POLLER, DIFFERENT_POLLERS, A_IN_THREAD_MODE
    }

    /** The blocking call made on B, and what its refusal must say. */
    enum Call {
        CLOSE(b -> b.close(), "Producer '%s' cannot be closed on", "Use closeAsync() in callbacks"),
        FLUSH(b -> b.flush(Duration.ofSeconds(5)), "flush() of producer '%s' cannot run on",
                "Call it from an application thread"),
        PRODUCE_SYNC(b -> b.produceSync(Message.of("never-sent", "x")), "produceSync() of producer '%s' cannot run on",
                "Use produceAsync() in callbacks"),
        PRODUCE_MANY_SYNC(b -> b.produceManySync(List.of(Message.of("never-sent", "x"))),
                "produceManySync() of producer '%s' cannot run on", "Use produceManyAsync() in callbacks"),
        TRANSACTION(b -> b.transaction(() -> "never runs"), "transaction() of producer '%s' cannot run on",
                "Call it from an application thread");

        final Consumer<Producer> onB;
        final String refusal;
        final String instead;

        Call(Consumer<Producer> onB, String refusal, String instead) {
            this.onB = onB;
            this.refusal = refusal;
            this.instead = instead;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Topology topology : Topology.values()) {
            for (Call call : Call.values()) {
                cases.add(Arguments.of(topology, call));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} on B from A''s callback, {0}")
    @MethodSource("cases")
    void blockingCallOnAnotherProducerFromACallbackIsRefused(Topology topology, Call call) throws Exception {
        String topic = KafkaBroker.newTopic("cross-wait");
        Poller pollerOfA = new Poller();
        Poller pollerOfB = topology == Topology.DIFFERENT_POLLERS ? new Poller() : pollerOfA;
        ProducerConfig.Builder configOfA = topology == Topology.A_IN_THREAD_MODE
                ? brokerConfig("cross-a", PollingMode.THREAD)
                : brokerConfig("cross-a", PollingMode.FD).poller(pollerOfA);
        try (Producer a = new Producer(configOfA.build());
                Producer b = new Producer(brokerConfig("cross-b", PollingMode.FD).poller(pollerOfB).build())) {
            b.produceSync(Message.of(topic, "B connected"));
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            CompletableFuture<String> callbackThread = new CompletableFuture<>();
            a.monitor().subscribe(Event.MessageAcknowledged.class, e -> {
                callbackThread.complete(Thread.currentThread().getName());
                try {
                    call.onB.accept(b);
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });

            a.produceSync(Message.of(topic, "A's message"));

            // On B's own polling thread the message says that thread delivers B's reports; elsewhere it names B.
            String refusal = topology == Topology.SAME_POLLER && call != Call.CLOSE
                    ? call.refusal.replace(" of producer '%s'", "") : call.refusal.formatted(b.name());
            assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(IllegalStateException.class, e ->
                    assertThat(e.getMessage()).contains(refusal + " " + callbackThread.getNow(null), call.instead));
            // Refused before anything happened: B is open and still delivers.
            assertThat(b.state()).isEqualTo(ProducerState.CONNECTED);
            assertThat(b.produceSync(Message.of(topic, "B still works")).isDelivered()).isTrue();
        }
    }
}
