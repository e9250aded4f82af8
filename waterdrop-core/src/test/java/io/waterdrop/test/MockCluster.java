package io.waterdrop.test;

import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * librdkafka's mock cluster ({@code rdkafka_mock.h}) for fault injection, bound for tests only. It is hosted by a
 * helper {@code rd_kafka_t} of its own, so the producers under test reach it like any cluster, through
 * {@link #bootstrapServers()}, and need no access to their native handle. Not thread-safe; close it after the
 * producers that use it.
 */
public final class MockCluster implements AutoCloseable {

    /** Kafka's ApiKey of Produce requests. */
    public static final short PRODUCE = 0;
    /** NOT_LEADER_OR_FOLLOWER: retriable. */
    public static final int NOT_LEADER_OR_FOLLOWER = 6;
    /** REQUEST_TIMED_OUT: retriable. */
    public static final int REQUEST_TIMED_OUT = 7;
    /** NOT_ENOUGH_REPLICAS: retriable. */
    public static final int NOT_ENOUGH_REPLICAS = 19;
    /** OUT_OF_ORDER_SEQUENCE_NUMBER: fatal for an idempotent producer when it hits the head-of-line request. */
    public static final int OUT_OF_ORDER_SEQUENCE_NUMBER = 45;

    /** The mock API and the few calls needed to host it. */
    public interface Native {
        Pointer rd_kafka_conf_new();

        int rd_kafka_conf_set(Pointer conf, String name, String value, @Out byte[] errstr, @size_t long errstrSize);

        Pointer rd_kafka_new(int type, Pointer conf, @Out byte[] errstr, @size_t long errstrSize);

        void rd_kafka_destroy(Pointer rk);

        Pointer rd_kafka_mock_cluster_new(Pointer rk, int brokerCount);

        void rd_kafka_mock_cluster_destroy(Pointer mcluster);

        String rd_kafka_mock_cluster_bootstraps(Pointer mcluster);

        void rd_kafka_mock_push_request_errors_array(Pointer mcluster, short apiKey, @size_t long count,
                int[] errors);

        int rd_kafka_mock_topic_create(Pointer mcluster, String topic, int partitions, int replicationFactor);

        int rd_kafka_mock_partition_set_leader(Pointer mcluster, String topic, int partition, int brokerId);

        int rd_kafka_mock_broker_set_down(Pointer mcluster, int brokerId);

        int rd_kafka_mock_broker_set_up(Pointer mcluster, int brokerId);
    }

    private static volatile Native lib;

    private final Pointer host;
    private final Pointer cluster;
    private boolean closed;

    private MockCluster(Pointer host, Pointer cluster) {
        this.host = host;
        this.cluster = cluster;
    }

    /** Starts a mock cluster of {@code brokers} brokers (ids 1..brokers). */
    public static MockCluster start(int brokers) {
        Native rd = lib();
        byte[] errstr = new byte[512];
        Pointer conf = rd.rd_kafka_conf_new();
        check(rd.rd_kafka_conf_set(conf, "log_level", "3", errstr, errstr.length), errstr);
        Pointer host = rd.rd_kafka_new(0, conf, errstr, errstr.length);
        if (host == null) {
            throw new IllegalStateException("rd_kafka_new for the mock cluster failed: " + text(errstr));
        }
        Pointer cluster = rd.rd_kafka_mock_cluster_new(host, brokers);
        if (cluster == null) {
            rd.rd_kafka_destroy(host);
            throw new IllegalStateException("rd_kafka_mock_cluster_new failed");
        }
        return new MockCluster(host, cluster);
    }

    public String bootstrapServers() {
        return lib().rd_kafka_mock_cluster_bootstraps(cluster);
    }

    /** Creates {@code topic} with {@code partitions} partitions (replication factor 1). */
    public void createTopic(String topic, int partitions) {
        checkCode(lib().rd_kafka_mock_topic_create(cluster, topic, partitions, 1), "rd_kafka_mock_topic_create");
    }

    /** Makes broker {@code brokerId} the leader of {@code topic}'s {@code partition}. */
    public void setLeader(String topic, int partition, int brokerId) {
        checkCode(lib().rd_kafka_mock_partition_set_leader(cluster, topic, partition, brokerId),
                "rd_kafka_mock_partition_set_leader");
    }

    /** The next requests of {@code apiKey} (to any broker) fail with {@code errors}, one each, in order. */
    public void pushRequestErrors(short apiKey, int... errors) {
        lib().rd_kafka_mock_push_request_errors_array(cluster, apiKey, errors.length, errors);
    }

    /** Disconnects broker {@code brokerId} and refuses new connections to it. */
    public void brokerDown(int brokerId) {
        checkCode(lib().rd_kafka_mock_broker_set_down(cluster, brokerId), "rd_kafka_mock_broker_set_down");
    }

    public void brokerUp(int brokerId) {
        checkCode(lib().rd_kafka_mock_broker_set_up(cluster, brokerId), "rd_kafka_mock_broker_set_up");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lib().rd_kafka_mock_cluster_destroy(cluster);
            lib().rd_kafka_destroy(host);
        }
    }

    private static Native lib() {
        Native loaded = lib;
        if (loaded == null) {
            synchronized (MockCluster.class) {
                if (lib == null) {
                    String path = System.getProperty("waterdrop.librdkafka.path", "librdkafka.so.1");
                    lib = LibraryLoader.create(Native.class).failImmediately().load(path);
                }
                loaded = lib;
            }
        }
        return loaded;
    }

    private static void check(int confResult, byte[] errstr) {
        if (confResult != 0) {
            throw new IllegalStateException("rd_kafka_conf_set failed: " + text(errstr));
        }
    }

    private static void checkCode(int error, String call) {
        if (error != 0) {
            throw new IllegalStateException(call + " failed with librdkafka error " + error);
        }
    }

    private static String text(byte[] errstr) {
        int end = 0;
        while (end < errstr.length && errstr[end] != 0) {
            end++;
        }
        return new String(errstr, 0, end, StandardCharsets.UTF_8);
    }
}
