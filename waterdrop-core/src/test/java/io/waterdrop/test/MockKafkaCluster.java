package io.waterdrop.test;

import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.LibRdKafkaMock;
import io.waterdrop.internal.nativelib.NativeLibraries;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;

/**
 * librdkafka's in-process mock cluster, owned by a throwaway {@code rd_kafka_t} of its own, so a producer under test
 * is configured like any other (its {@code bootstrap.servers} = {@link #bootstrapServers()}) while the test injects
 * protocol errors and broker outages. Close it after the producers that use it.
 */
public final class MockKafkaCluster implements AutoCloseable {

    /** Kafka protocol request types (ApiKeys). */
    public static final short PRODUCE = 0;
    public static final short INIT_PRODUCER_ID = 22;
    public static final short ADD_PARTITIONS_TO_TXN = 24;
    public static final short END_TXN = 26;

    /** Kafka protocol error codes, as librdkafka numbers them. */
    public static final int NOT_LEADER_OR_FOLLOWER = 6;
    public static final int REQUEST_TIMED_OUT = 7;
    public static final int NOT_ENOUGH_REPLICAS = 19;
    public static final int TOPIC_AUTHORIZATION_FAILED = 29;
    public static final int COORDINATOR_NOT_AVAILABLE = 15;
    public static final int NOT_COORDINATOR = 16;
    public static final int INVALID_PRODUCER_EPOCH = 47;
    public static final int PRODUCER_FENCED = 90;
    public static final int OUT_OF_ORDER_SEQUENCE_NUMBER = 45;

    private final LibRdKafka rd = NativeLibraries.rdkafka();
    private final LibRdKafkaMock mock = NativeLibraries.mock();
    private final Pointer owner;
    private final Pointer cluster;
    private final String bootstrapServers;
    private boolean closed;

    /** Starts {@code brokers} mock brokers (ids 1..n) listening on localhost. */
    public MockKafkaCluster(int brokers) {
        Pointer conf = rd.rd_kafka_conf_new();
        byte[] errstr = new byte[512];
        // The owner never connects anywhere and is never polled: keep it quiet.
        rd.rd_kafka_conf_set(conf, "log_level", "0", errstr, errstr.length);
        Pointer rk = rd.rd_kafka_new(LibRdKafka.RD_KAFKA_PRODUCER, conf, errstr, errstr.length);
        if (rk == null) {
            rd.rd_kafka_conf_destroy(conf);
            throw new IllegalStateException("rd_kafka_new failed: " + new String(errstr, StandardCharsets.UTF_8).trim());
        }
        Pointer created = mock.rd_kafka_mock_cluster_new(rk, brokers);
        if (created == null) {
            rd.rd_kafka_destroy(rk);
            throw new IllegalStateException("rd_kafka_mock_cluster_new failed");
        }
        this.owner = rk;
        this.cluster = created;
        this.bootstrapServers = mock.rd_kafka_mock_cluster_bootstraps(created);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The next {@code errors.length} requests of {@code apiKey} (to any broker) fail with these codes, in order. */
    public void pushRequestErrors(short apiKey, int... errors) {
        mock.rd_kafka_mock_push_request_errors_array(cluster, apiKey, errors.length, errors);
    }

    public void clearRequestErrors(short apiKey) {
        mock.rd_kafka_mock_clear_request_errors(cluster, apiKey);
    }

    /** Makes {@code brokerId} the transaction coordinator of {@code transactionalId}. */
    public void transactionCoordinator(String transactionalId, int brokerId) {
        check(mock.rd_kafka_mock_coordinator_set(cluster, "transaction", transactionalId, brokerId));
    }

    /** Round-trip delay of {@code brokerId} (-1 = all). */
    public void brokerRtt(int brokerId, int rttMs) {
        check(mock.rd_kafka_mock_broker_set_rtt(cluster, brokerId, rttMs));
    }

    public void brokerDown(int brokerId) {
        check(mock.rd_kafka_mock_broker_set_down(cluster, brokerId));
    }

    public void brokerUp(int brokerId) {
        check(mock.rd_kafka_mock_broker_set_up(cluster, brokerId));
    }

    private void check(int err) {
        if (err != 0) {
            throw new IllegalStateException("mock cluster call failed: " + rd.rd_kafka_err2name(err));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mock.rd_kafka_mock_cluster_destroy(cluster);
            rd.rd_kafka_destroy(owner);
        }
    }
}
