package io.waterdrop.internal.client;

import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLibraries;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns a message's partition key into a partition, the way librdkafka's configured {@code partitioner} would turn
 * the same bytes used as the message key.
 *
 * <p>Rules (README "Partition keys"):
 * <ul>
 *   <li>The key is hashed with librdkafka's own hash for the partitioner: {@code consistent*} (CRC32, the default
 *       {@code consistent_random}), {@code murmur2*} (the Java client's), {@code fnv1a*}.</li>
 *   <li>An EMPTY partition key routes like an empty message key: a random partition under {@code consistent_random}
 *       and {@code random}, the hash of zero bytes under the others. It never reaches librdkafka's random
 *       partitioners, which read the topic handle we do not have (issue 7: they crashed the JVM).</li>
 *   <li>The partition count comes from a metadata request and is cached for {@link #COUNT_TTL}. A topic the broker
 *       does not know (or is still creating) fails the message with a {@link ProduceException} naming the topic;
 *       that answer is cached for {@link #UNKNOWN_TTL}, so a stream of such messages costs one request per second.
 *       The first request for a topic may make the broker auto-create it (librdkafka's producer default
 *       {@code allow.auto.create.topics=true}); the broker answers UNKNOWN_TOPIC_OR_PART or LEADER_NOT_AVAILABLE
 *       until it exists, so that first lookup asks again, with back-off, within the wait below.</li>
 *   <li>Application threads wait at most {@link #MAX_WAIT} (or {@code max-wait-timeout}, if shorter) for metadata.
 *       Polling threads never wait: they use the cached answer, even an expired one (partition counts only grow),
 *       or fail at once with {@code _WAIT_CACHE} when there is none; either way a short-lived
 *       {@code waterdrop.metadata#<producer>} thread asks the broker so that later messages find the answer.</li>
 * </ul>
 */
public final class PartitionKeys {

    static final Duration COUNT_TTL = Duration.ofSeconds(30);
    static final Duration UNKNOWN_TTL = Duration.ofSeconds(1);
    /** The longest an application thread waits for a metadata request (also for declared topics at connect). */
    public static final Duration MAX_WAIT = Duration.ofSeconds(5);

    /** RD_KAFKA_RESP_ERR__WAIT_CACHE: "Local: Awaiting cache update". */
    private static final int WAIT_CACHE = -164;
    private static final int LEADER_NOT_AVAILABLE = 5;

    /** The answer of one metadata request: a partition count > 0, or librdkafka's error for the topic. */
    public record Lookup(int count, int error) {
        public static Lookup partitions(int count) {
            return new Lookup(count, 0);
        }

        public static Lookup failed(int error) {
            return new Lookup(0, error);
        }
    }

    /** Asks the broker (blocking, at most {@code timeoutMs}); the producer runs it under its handle lock. */
    @FunctionalInterface
    public interface Metadata {
        Lookup partitionCount(String topic, int timeoutMs);
    }

    private record Cached(Lookup lookup, long expiresAt) {
    }

    private enum Hash { CONSISTENT, MURMUR2, FNV1A }

    private final String producer;
    private final Hash hash;
    /** Whether an empty key gets a random partition (librdkafka's random and consistent_random). */
    private final boolean emptyIsRandom;
    private final boolean alwaysRandom;
    /** Whether a metadata request may make the broker create the topic. */
    private final boolean autoCreate;
    private final long maxWaitNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Set<String> lookingUp = ConcurrentHashMap.newKeySet();

    /**
     * @param kafka the producer's librdkafka settings, already accepted by librdkafka: {@code partitioner} is one of
     *     its seven names (default consistent_random)
     */
    public PartitionKeys(String producer, Map<String, String> kafka, Duration maxWaitTimeout) {
        String p = kafka.getOrDefault("partitioner", "consistent_random");
        this.autoCreate = !"false".equals(kafka.get("allow.auto.create.topics"));
        this.producer = producer;
        this.alwaysRandom = p.equals("random");
        this.emptyIsRandom = alwaysRandom || p.equals("consistent_random");
        this.hash = p.startsWith("murmur2") ? Hash.MURMUR2 : p.startsWith("fnv1a") ? Hash.FNV1A : Hash.CONSISTENT;
        this.maxWaitNanos = Math.min(MAX_WAIT.toNanos(), maxWaitTimeout.toNanos());
    }

    /**
     * The partition for {@code message}'s partition key.
     *
     * @param mayWait false on a polling thread: answer from the cache only
     * @throws ProduceException when the topic's partition count is unknown (nothing was sent)
     */
    public int partition(Message message, boolean mayWait, Metadata metadata) {
        String topic = message.topic();
        Lookup lookup = count(topic, mayWait, metadata);
        if (lookup.error() != 0) {
            throw unknownTopic(message, lookup.error());
        }
        return partition(message.partitionKey(), lookup.count());
    }

    /** Forgets every cached count (a reopened producer may talk to another cluster). */
    public void clear() {
        cache.clear();
    }

    private Lookup count(String topic, boolean mayWait, Metadata metadata) {
        Cached cached = cache.get(topic);
        boolean fresh = cached != null && cached.expiresAt - System.nanoTime() > 0;
        if (fresh) {
            return cached.lookup;
        }
        if (mayWait) {
            return ask(topic, cached, metadata);
        }
        // A polling thread answers from what it has (an old count still works: counts only grow) and lets another
        // thread ask, so the next message finds the answer.
        lookUpInBackground(topic, cached, metadata);
        return cached != null ? cached.lookup : Lookup.failed(WAIT_CACHE);
    }

    private Lookup ask(String topic, Cached cached, Metadata metadata) {
        long deadline = System.nanoTime() + maxWaitNanos;
        long backoffNanos = TimeUnit.MILLISECONDS.toNanos(50);
        while (true) {
            int timeoutMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Lookup lookup = metadata.partitionCount(topic, timeoutMs);
            long remaining = deadline - System.nanoTime();
            // Only a topic never asked about before may be in creation because of our request; an expired negative
            // answer gets one request, so a missing topic never costs the full wait again.
            boolean creating = cached == null && autoCreate
                    && (lookup.error() == LEADER_NOT_AVAILABLE || lookup.error() == KafkaError.UNKNOWN_TOPIC_OR_PART);
            if (!creating || remaining <= backoffNanos) {
                Duration ttl = lookup.error() == 0 ? COUNT_TTL : UNKNOWN_TTL;
                cache.put(topic, new Cached(lookup, System.nanoTime() + ttl.toNanos()));
                return lookup;
            }
            LockSupport.parkNanos(backoffNanos);
            backoffNanos = Math.min(backoffNanos * 2, TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    /** One short-lived thread per topic at a time; rare (only polling-thread misses and expiries). */
    private void lookUpInBackground(String topic, Cached cached, Metadata metadata) {
        if (!lookingUp.add(topic)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                ask(topic, cached, metadata);
            } catch (RuntimeException e) {
                // The producer closed meanwhile: there is nothing to cache, and nobody to tell.
            } finally {
                lookingUp.remove(topic);
            }
        }, "waterdrop.metadata#" + producer);
        thread.setDaemon(true);
        thread.start();
    }

    int partition(byte[] key, int count) {
        if (alwaysRandom || (key.length == 0 && emptyIsRandom)) {
            return ThreadLocalRandom.current().nextInt(count);
        }
        LibRdKafka rd = NativeLibraries.rdkafka();
        return switch (hash) {
            case MURMUR2 -> rd.rd_kafka_msg_partitioner_murmur2(null, key, key.length, count, null, null);
            case FNV1A -> rd.rd_kafka_msg_partitioner_fnv1a(null, key, key.length, count, null, null);
            case CONSISTENT -> rd.rd_kafka_msg_partitioner_consistent(null, key, key.length, count, null, null);
        };
    }

    private ProduceException unknownTopic(Message message, int error) {
        KafkaError base = NativeProducer.error(error);
        String why = error == WAIT_CACHE
                ? "the partition count of topic '" + message.topic() + "' is not known yet, and a polling thread "
                        + "never waits for metadata; thread waterdrop.metadata#" + producer + " is asking the "
                        + "broker, and later messages use its answer (send one partition-keyed message from an "
                        + "application thread first to avoid this)"
                : "a partitionKey needs the partition count of topic '" + message.topic() + "', and the broker "
                        + "answered " + base.name() + ": " + base.message() + "; create the topic first";
        return new ProduceException(producer, message, new KafkaError(error, base.name(), why));
    }
}
