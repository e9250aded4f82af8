package io.waterdrop;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message to produce. Immutable; build one with {@link #builder(String)} or {@link #of(String, byte[])}.
 *
 * <p>The builder validates what can be checked without a producer (topic name, partition, partition key, headers,
 * timestamp) and throws {@link InvalidMessageException} naming the field; the producer checks the payload size
 * against its {@code max-payload-size} before sending anything. What passes arrives byte-exactly: {@code null} and
 * empty keys, payloads and header values stay distinct.
 */
public final class Message {

    /** "Any partition": let the partitioner choose (RD_KAFKA_PARTITION_UA). */
    public static final int ANY_PARTITION = -1;

    private static final int MAX_TOPIC_LENGTH = 249;

    private final String topic;
    private final byte[] payload;
    private final byte[] key;
    private final int partition;
    private final byte[] partitionKey;
    private final List<Header> headers;
    private final Long timestamp;
    private final Object label;

    private Message(Builder b) {
        this.topic = b.topic;
        this.payload = b.payload;
        this.key = b.key;
        this.partition = b.partition;
        this.partitionKey = b.partitionKey;
        this.headers = List.copyOf(b.headers);
        this.timestamp = b.timestamp;
        this.label = b.label;
    }

    public static Message of(String topic, byte[] payload) {
        return builder(topic).payload(payload).build();
    }

    public static Message of(String topic, String payload) {
        return builder(topic).payload(payload).build();
    }

    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    public String topic() {
        return topic;
    }

    /** The payload, or {@code null} for a tombstone. */
    public byte[] payload() {
        return payload;
    }

    public byte[] key() {
        return key;
    }

    /** The target partition, or {@link #ANY_PARTITION}. */
    public int partition() {
        return partition;
    }

    /** Bytes that choose the partition in place of the key, or {@code null}. */
    public byte[] partitionKey() {
        return partitionKey;
    }

    public List<Header> headers() {
        return headers;
    }

    /** Milliseconds since the epoch, or {@code null} for "now". */
    public Long timestamp() {
        return timestamp;
    }

    /**
     * The application's label ({@link Builder#label(Object)}), or {@code null}. Never sent to Kafka and never part of
     * {@link #toString()}.
     */
    public Object label() {
        return label;
    }

    public boolean isTombstone() {
        return payload == null;
    }

    /** A builder holding everything this message holds, e.g. to send a copy with more headers. */
    public Builder toBuilder() {
        Builder b = new Builder(topic);
        b.payload = payload;
        b.key = key;
        b.partition = partition;
        b.partitionKey = partitionKey;
        b.headers.addAll(headers);
        b.timestamp = timestamp;
        b.label = label;
        return b;
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", partition=" + partition + ", payload="
                + (payload == null ? "tombstone" : payload.length + " bytes") + ", headers=" + headers.size() + "]";
    }

    /** Builds a {@link Message}; {@link #build()} throws {@link InvalidMessageException} naming the bad field. */
    public static final class Builder {

        private final String topic;
        private byte[] payload;
        private byte[] key;
        private int partition = ANY_PARTITION;
        private byte[] partitionKey;
        private final List<Header> headers = new ArrayList<>();
        private Long timestamp;
        private Object label;

        private Builder(String topic) {
            this.topic = topic;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        public Builder payload(String payload) {
            return payload(payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
        }

        /** A tombstone: a message with a key and no payload. */
        public Builder tombstone() {
            this.payload = null;
            return this;
        }

        public Builder key(byte[] key) {
            this.key = key;
            return this;
        }

        public Builder key(String key) {
            return key(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
        }

        public Builder partition(int partition) {
            this.partition = partition;
            return this;
        }

        /**
         * Chooses the partition from these bytes (UTF-8) instead of from the key: the message goes to the partition
         * the producer's {@code partitioner} would choose for a message KEY of these bytes. An empty partition key
         * routes like an empty key (a random partition under the default {@code consistent_random}). The topic's
         * partition count must be known: see the README's "Partition keys" for unknown and new topics.
         */
        public Builder partitionKey(String partitionKey) {
            this.partitionKey = partitionKey == null ? null : partitionKey.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder header(String key, String value) {
            headers.add(Header.of(key, value));
            return this;
        }

        public Builder header(String key, byte[] value) {
            headers.add(new Header(key, value));
            return this;
        }

        public Builder headers(List<Header> headers) {
            if (headers == null) {
                throw new InvalidMessageException("headers", "is null; pass an empty list for no headers");
            }
            for (Header header : headers) {
                if (header == null) {
                    throw new InvalidMessageException("headers", "contain a null header");
                }
            }
            this.headers.addAll(headers);
            return this;
        }

        /**
         * An application object that travels with the message and comes back with its outcome: in the
         * {@link DeliveryReport}, and through {@link #label()} of the message every event, exception and observation
         * context carries ({@code ProduceException.failedMessage()}, {@code Event.ErrorOccurred.message()}, ...).
         * It is never sent to Kafka, and never printed by WaterDrop (it may hold personal data). {@code null}: none.
         */
        public Builder label(Object label) {
            this.label = label;
            return this;
        }

        public Builder timestamp(long epochMillis) {
            this.timestamp = epochMillis;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            if (timestamp == null) {
                throw new InvalidMessageException("timestamp", "is null; leave it unset for the time of sending");
            }
            try {
                return timestamp(timestamp.toEpochMilli());
            } catch (ArithmeticException e) {
                throw new InvalidMessageException("timestamp", "is " + timestamp + ", beyond epoch milliseconds");
            }
        }

        public Message build() {
            if (topic == null || topic.isEmpty()) {
                throw new InvalidMessageException("topic", "is missing; every message needs a topic");
            }
            if (!isLegalTopicName(topic)) {
                throw new InvalidMessageException("topic", "'" + topic.replace("\0", "\\u0000")
                        + "' is not a valid Kafka topic name "
                        + "(1-249 characters of a-z, A-Z, 0-9, '.', '_', '-')");
            }
            if (partition < ANY_PARTITION) {
                throw new InvalidMessageException("partition", "is " + partition
                        + "; use a partition number >= 0 or Message.ANY_PARTITION (-1)");
            }
            if (partitionKey != null && partition != ANY_PARTITION) {
                throw new InvalidMessageException("partitionKey", "cannot be combined with an explicit partition ("
                        + partition + "); set one or the other");
            }
            // Header names are checked by Header itself.
            if (timestamp != null && timestamp <= 0) {
                // librdkafka reads a timestamp of 0 as "now": it would not arrive as given.
                throw new InvalidMessageException("timestamp", "is " + timestamp + "; use epoch milliseconds >= 1, "
                        + "or leave it unset for the time of sending");
            }
            return new Message(this);
        }

        /**
         * Kafka's rule: 1-249 of a-z, A-Z, 0-9, '.', '_', '-', and neither "." nor "..". A plain loop, not a regex:
         * every message is built through here, and a regex match was the largest single cost of producing
         * (about a quarter of the application thread's CPU in the benchmark's profile).
         */
        private static boolean isLegalTopicName(String topic) {
            int length = topic.length();
            if (length > MAX_TOPIC_LENGTH || topic.equals(".") || topic.equals("..")) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                char c = topic.charAt(i);
                boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '_' || c == '-';
                if (!legal) {
                    return false;
                }
            }
            return true;
        }
    }
}
