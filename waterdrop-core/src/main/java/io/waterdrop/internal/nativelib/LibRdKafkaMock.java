package io.waterdrop.internal.nativelib;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.types.size_t;

/**
 * librdkafka's in-process mock cluster ({@code rdkafka_mock.h}), for fault-injection tests only: WaterDrop itself
 * never calls these. A cluster is created for a throwaway {@code rd_kafka_t} and serves real TCP connections on
 * localhost, so any producer pointed at {@link #rd_kafka_mock_cluster_bootstraps} talks to it.
 *
 * <p>Request errors are pushed with {@link #rd_kafka_mock_push_request_errors_array}: the variadic
 * {@code rd_kafka_mock_push_request_errors} cannot be called safely through jnr-ffi. {@code apiKey} is the Kafka
 * protocol request type (Produce 0, InitProducerId 22, AddPartitionsToTxn 24, EndTxn 26).
 */
public interface LibRdKafkaMock {

    /** Creates a cluster of {@code brokerCount} brokers (ids 1..n); {@code rk} must outlive it. */
    Pointer rd_kafka_mock_cluster_new(Pointer rk, int brokerCount);

    void rd_kafka_mock_cluster_destroy(Pointer mcluster);

    String rd_kafka_mock_cluster_bootstraps(Pointer mcluster);

    /** The next {@code count} requests of {@code apiKey} fail with {@code errors}, in order. */
    void rd_kafka_mock_push_request_errors_array(Pointer mcluster, short apiKey, @size_t long count,
            @In int[] errors);

    void rd_kafka_mock_clear_request_errors(Pointer mcluster, short apiKey);

    /** {@code brokerId} -1 = every broker. */
    int rd_kafka_mock_broker_set_down(Pointer mcluster, int brokerId);

    int rd_kafka_mock_broker_set_up(Pointer mcluster, int brokerId);

    int rd_kafka_mock_broker_set_rtt(Pointer mcluster, int brokerId, int rttMs);

    /** {@code keyType} "transaction" or "group". */
    int rd_kafka_mock_coordinator_set(Pointer mcluster, String keyType, String key, int brokerId);
}
