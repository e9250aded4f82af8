package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.client.PartitionKeys;
import io.waterdrop.internal.polling.PollingThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics a producer declared up front ({@code ProducerConfig.topics}): right after connect their metadata is
 * fetched, so the first message to each does not wait for librdkafka to learn the topic. A failure is reported, never
 * thrown: the producer is connected and works, its first messages are just slower.
 */
final class DeclaredTopics {

    private static final Logger log = LoggerFactory.getLogger(DeclaredTopics.class);

    private final String name;
    private final List<String> topics;
    private final int timeoutMs;
    private final EventSink events;

    DeclaredTopics(String name, List<String> topics, Duration maxWait, EventSink events) {
        this.name = name;
        this.topics = List.copyOf(topics);
        // Like a partition key's lookup: 5 s, or max-wait-timeout if shorter, so a broker that is down at start
        // costs each producer seconds, not the 60 s a produceSync may wait.
        this.timeoutMs = (int) (maxWait.compareTo(PartitionKeys.MAX_WAIT) < 0 ? maxWait : PartitionKeys.MAX_WAIT)
                .toMillis();
        this.events = events;
    }

    /** Fetches the topics' metadata on the calling thread (blocking up to 5 s or max-wait-timeout if shorter). */
    void declare(NativeProducer client) {
        if (topics.isEmpty() || PollingThreads.isPollingThread()) {
            return; // a polling thread must never block on a metadata request; the first message then learns it
        }
        Map<String, Integer> failed = client.declareTopics(topics, timeoutMs);
        failed.forEach((topic, err) -> {
            KafkaError error = NativeProducer.error(err);
            log.warn("Producer '{}': metadata of declared topic '{}' is not known after connect ({}); its first "
                    + "message will wait for it", name, topic, error.name());
            events.emit(new Event.ErrorOccurred(name, "topics.metadata", new KafkaError(err, error.name(),
                    "declared topic '" + topic + "': " + error.message()), null, null));
        });
    }
}
