package io.waterdrop.benchmark;

import java.io.IOException;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The child process that hosts the benchmark's broker: a single KRaft broker (spring-kafka-test's
 * {@link EmbeddedKafkaKraftBroker}). It prints {@value #READY_PREFIX}{@code host:port} on stdout once it accepts
 * connections and runs until its stdin closes, which happens when the parent closes it on purpose or when the parent
 * dies in any way, so no broker outlives its benchmark.
 */
public final class BrokerMain {

    /** The line prefix the parent looks for on this process's stdout. */
    public static final String READY_PREFIX = "BOOTSTRAP_SERVERS=";

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
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
        try {
            while (System.in.read() != -1) {
                // Nothing is ever sent; end of input is the stop signal.
            }
        } finally {
            broker.destroy();
        }
        System.exit(0);
    }
}
