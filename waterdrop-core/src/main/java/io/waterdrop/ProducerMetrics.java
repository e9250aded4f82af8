package io.waterdrop;

import java.time.Instant;
import java.util.Map;

/**
 * A read-only snapshot of one producer's counters, from {@link Producer#metrics()}. Counters start at zero when the
 * producer is built and keep counting across {@link Producer#reopen()}.
 *
 * @param produced messages librdkafka accepted
 * @param acknowledged messages the broker acknowledged
 * @param failed messages whose delivery report carried an error (purged ones on close included)
 * @param failedByError {@link #failed} by librdkafka error name, e.g. {@code _MSG_TIMED_OUT}
 * @param queueFullWaits produce calls that found librdkafka's queue full and had to wait
 * @param inFlight delivery handles not completed yet
 * @param lastError the latest librdkafka error or failed delivery, or {@code null}
 * @param brokersUp brokers in state UP per librdkafka's latest statistics, -1 without statistics
 * @param brokersTotal brokers librdkafka knows per its latest statistics, -1 without statistics
 * @param allBrokersDownSince since when librdkafka has reported every broker down (its {@code _ALL_BROKERS_DOWN}
 *     error or statistics with no broker UP), cleared by an acknowledgement or statistics with a broker UP;
 *     {@code null} when not down
 * @param authenticationFailure the latest {@code _AUTHENTICATION} error (a broker refused the credentials), cleared
 *     like {@code allBrokersDownSince} once a broker is UP or acknowledges; {@code null} when none
 */
public record ProducerMetrics(long produced, long acknowledged, long failed, Map<String, Long> failedByError,
        long queueFullWaits, int inFlight, LastError lastError, int brokersUp, int brokersTotal,
        Instant allBrokersDownSince, LastError authenticationFailure) {

    public ProducerMetrics {
        failedByError = Map.copyOf(failedByError);
    }

    /**
     * The latest error of a producer.
     *
     * @param type where it came from: {@code librdkafka.error} (librdkafka's error callback) or
     *     {@code librdkafka.dispatch_error} (a message was not delivered)
     * @param error librdkafka's error code, name and description
     * @param at when it was reported
     */
    public record LastError(String type, KafkaError error, Instant at) {
    }
}
