package io.waterdrop.benchmark;

import java.io.IOException;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The child process that hosts the benchmark's broker: a single KRaft broker (spring-kafka-test's
 * {@link EmbeddedKafkaKraftBroker}). It prints {@value #READY_PREFIX}{@code host:port} on stdout once it accepts
 * connections and runs until its stdin closes, which happens when the parent closes it on purpose or when the parent
 * dies in any way, so no broker outlives its benchmark.
 *
 * <p>It runs from the benchmark's jar: rebuilding that jar while a broker runs breaks the broker (classes it has not
 * loaded yet are gone).
 */
public final class BrokerMain {

    /** The line prefix the parent looks for on this process's stdout. */
    public static final String READY_PREFIX = "BOOTSTRAP_SERVERS=";

    private static final long EXIT_GRACE_MILLIS = 10_000;

    private BrokerMain() {
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperties(Map.of(
                    "auto.create.topics.enable", "true",
                    "num.partitions", "1",
                    "offsets.topic.replication.factor", "1",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1"));
            broker.afterPropertiesSet();
            System.out.println(READY_PREFIX + broker.getBrokersAsString());
            System.out.flush();
            awaitEndOfInput();
            broker.destroy();
            status = 0;
        } catch (Throwable t) {
            t.printStackTrace();
        } finally {
            // Kafka leaves non-daemon threads behind when start or shutdown fails: without an explicit exit this
            // process would outlive its parent. The watchdog covers an exit blocked by a shutdown hook.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(EXIT_GRACE_MILLIS);
                } catch (InterruptedException ignored) {
                    // Halting anyway.
                }
                Runtime.getRuntime().halt(2);
            }, "broker-exit-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            System.exit(status);
        }
    }

    private static void awaitEndOfInput() {
        try {
            while (System.in.read() != -1) {
                // Nothing is ever sent; end of input is the stop signal.
            }
        } catch (IOException closed) {
            // A broken stdin means the parent is gone: stop as well.
        }
    }
}
