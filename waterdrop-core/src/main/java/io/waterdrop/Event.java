package io.waterdrop;

import io.waterdrop.internal.json.Json;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a producer reports to its {@link Monitor}. Each event names its producer and has a dotted
 * {@link #type()} such as {@code message.acknowledged}, matching WaterDrop's instrumentation names.
 */
public sealed interface Event {

    /** The name of the producer this event belongs to. */
    String producer();

    /** The dotted event name, e.g. {@code producer.closed}. */
    String type();

    /** The librdkafka client was created and is being polled. */
    record ProducerConnected(String producer, PollingMode mode) implements Event {
        public String type() {
            return "producer.connected";
        }
    }

    /** {@code close} started. */
    record ProducerClosing(String producer) implements Event {
        public String type() {
            return "producer.closing";
        }
    }

    /** Closed; {@code undelivered} messages were purged because they could not be flushed in time. */
    record ProducerClosed(String producer, int undelivered) implements Event {
        public String type() {
            return "producer.closed";
        }
    }

    /** librdkafka accepted a message. {@code sync} tells produceSync from produceAsync. */
    record MessageProduced(String producer, Message message, boolean sync) implements Event {
        public String type() {
            return sync ? "message.produced_sync" : "message.produced_async";
        }
    }

    /** The broker acknowledged a message. */
    record MessageAcknowledged(String producer, Message message, DeliveryReport report) implements Event {
        public String type() {
            return "message.acknowledged";
        }
    }

    /**
     * Something went wrong. {@code errorType} says where: {@code librdkafka.dispatch_error} (a message was not
     * delivered), {@code librdkafka.error} (librdkafka's error callback), {@code callbacks.delivery.error},
     * {@code callbacks.statistics.error} and {@code callbacks.error.error} (a listener threw),
     * {@code poller.polling_loop} (a loop pass failed; the Poller backs off), {@code poller.restarted} (its thread
     * ended abnormally and a new one took the producer over), {@code poller.stopped} (the Poller gave up: nothing
     * polls the producer any more, see {@link PollingInfo#failure()}), {@code poller.close_drain},
     * {@code producer.close}, {@code producer.idle_disconnect} (an idle disconnect failed; the producer stays
     * connected), {@code transaction.retrying} (a transactional call failed with a retriable error and
     * is called again).
     */
    record ErrorOccurred(String producer, String errorType, KafkaError kafkaError, Throwable cause,
            Message message) implements Event {
        public String type() {
            return "error.occurred";
        }

        /** A one-line description for logs (never contains configuration values). */
        public String description() {
            StringBuilder sb = new StringBuilder(errorType);
            if (kafkaError != null) {
                sb.append(": ").append(kafkaError);
            }
            if (cause != null) {
                sb.append(": ").append(cause);
            }
            return sb.toString();
        }
    }

    /** librdkafka emitted its statistics JSON (enable with {@code statistics.interval.ms}). */
    final class StatisticsEmitted implements Event {
        private final String producer;
        private final String json;
        private volatile Map<String, Object> parsed;

        public StatisticsEmitted(String producer, String json) {
            this.producer = producer;
            this.json = json;
        }

        public String producer() {
            return producer;
        }

        public String type() {
            return "statistics.emitted";
        }

        /** The raw JSON as librdkafka wrote it. */
        public String json() {
            return json;
        }

        /** The JSON parsed into maps, lists, strings, numbers and booleans; parsed once, on first call. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> statistics() {
            Map<String, Object> result = parsed;
            if (result == null) {
                result = (Map<String, Object>) Json.parse(json);
                parsed = result;
            }
            return result;
        }
    }

    /** A transaction began. */
    record TransactionStarted(String producer) implements Event {
        public String type() {
            return "transaction.started";
        }
    }

    /** A transaction was committed. */
    record TransactionCommitted(String producer) implements Event {
        public String type() {
            return "transaction.committed";
        }
    }

    /** A transaction was aborted. */
    record TransactionAborted(String producer) implements Event {
        public String type() {
            return "transaction.aborted";
        }
    }

    /**
     * The producer re-created its librdkafka client after a fatal error ({@code reload-on-transaction-fatal-error}
     * or {@code reload-on-idempotent-fatal-error}): {@code attempt} counts re-creations in a row. Messages in flight on the old client failed; the reload also
     * shows as {@code producer.closing}, {@code producer.closed} and {@code producer.connected}.
     */
    record ProducerReloaded(String producer, KafkaError cause, int attempt) implements Event {
        public String type() {
            return "producer.reloaded";
        }
    }

    /**
     * A {@link ProducerPool} closed a member that hit a fatal error (e.g. fenced), was closed or lost its polling,
     * and put a fresh client with the same {@code transactional.id} in its place. {@code producer} is the member's
     * name ({@code <pool>-<index>}); {@code cause} is librdkafka's fatal error, or {@code null} when there was none.
     */
    record PoolMemberReplaced(String producer, int index, KafkaError cause, String reason) implements Event {
        public String type() {
            return "pool.member_replaced";
        }
    }

    /**
     * The producer was idle (nothing produced, nothing in flight, no transaction open) for longer than its
     * {@code idle-disconnect-timeout} and released its librdkafka client; {@code reason} says so in words,
     * {@code idleFor} is how long nothing was produced. The client's threads and sockets are released right after
     * this event; the next produce reconnects ({@link ProducerReconnected}).
     */
    record ProducerDisconnected(String producer, String reason, Duration idleFor) implements Event {
        public String type() {
            return "producer.disconnected";
        }
    }

    /**
     * A producer disconnected for idleness created a new librdkafka client; {@code reason} is what needed it:
     * {@code produce}, {@code transaction} or {@code connect} (an explicit {@code Producer.connect()}).
     * {@code disconnectedFor} is how long it was disconnected. Declared topics are fetched again.
     */
    record ProducerReconnected(String producer, String reason, Duration disconnectedFor) implements Event {
        public String type() {
            return "producer.reconnected";
        }
    }

    /** An fd-mode producer registered with a Poller. */
    record PollerProducerRegistered(String producer, int pollerId) implements Event {
        public String type() {
            return "poller.producer_registered";
        }
    }

    /** An fd-mode producer left its Poller. */
    record PollerProducerUnregistered(String producer, int pollerId) implements Event {
        public String type() {
            return "poller.producer_unregistered";
        }
    }
}
