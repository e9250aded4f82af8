package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.internal.client.NativeEvents;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PolledClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** librdkafka's callbacks and the polling loop's view of one producer client. Runs on the polling thread. */
final class ClientCallbacks implements NativeEvents, PolledClient {

    private static final Logger librdkafkaLog = LoggerFactory.getLogger("io.waterdrop.librdkafka");
    private static final byte[] IO_EVENT_PAYLOAD = {1};

    private final String name;
    private final EventSink events;
    private final DeliveryTracker deliveries;
    private final ClientLifecycle lifecycle;

    /** Set while {@link #pollUntil} runs (polling thread only); 0 = no budget. */
    private long budgetDeadline;

    ClientCallbacks(String name, EventSink events, DeliveryTracker deliveries, ClientLifecycle lifecycle) {
        this.name = name;
        this.events = events;
        this.deliveries = deliveries;
        this.lifecycle = lifecycle;
    }

    private NativeProducer client() {
        return lifecycle.client();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int poll(int timeoutMs) {
        int served = client().poll(timeoutMs);
        if (served > 0) {
            deliveries.progressed();
        }
        return served;
    }

    @Override
    public int pollUntil(long deadlineNanos) {
        budgetDeadline = deadlineNanos;
        try {
            return poll(0);
        } finally {
            budgetDeadline = 0;
        }
    }

    @Override
    public void wakeUp() {
        client().yieldPoll();
    }

    @Override
    public int outqLen() {
        return client().outqLen();
    }

    @Override
    public void ioEvents(int fd) {
        client().ioEvents(fd, fd < 0 ? null : IO_EVENT_PAYLOAD);
    }

    @Override
    public void registered(int pollerId) {
        events.emit(new Event.PollerProducerRegistered(name, pollerId));
    }

    @Override
    public void unregistered(int pollerId) {
        events.emit(new Event.PollerProducerUnregistered(name, pollerId));
    }

    @Override
    public void pollingError(String type, Throwable failure) {
        events.emit(new Event.ErrorOccurred(name, type, null, failure, null));
    }

    @Override
    public void onDelivery(long opaque, int err, int partition, long offset, long timestamp) {
        deliveries.delivered(opaque, err, partition, offset, timestamp);
        // One rd_kafka_poll serves every queued report; yielding here keeps a burst within the fd budget
        // (librdkafka re-enqueues the rest, and the Poller's "continue" byte brings it back next turn).
        if (budgetDeadline != 0 && System.nanoTime() >= budgetDeadline) {
            client().yieldFromCallback();
        }
    }

    @Override
    public void onError(int err, String reason) {
        if (err == KafkaError.FATAL) {
            lifecycle.fatalErrorRaised(); // a flag the send path reads without a native call
        }
        KafkaError base = NativeProducer.error(err);
        events.emit(new Event.ErrorOccurred(name, "librdkafka.error", new KafkaError(err, base.name(), reason),
                null, null));
    }

    @Override
    public void onStatistics(String json) {
        if (events.hasListeners()) {
            events.emit(new Event.StatisticsEmitted(name, json));
        }
    }

    @Override
    public void onLog(int level, String facility, String message) {
        // syslog levels: 0-3 error, 4 warning, 5-6 notice/info, 7 debug
        if (level <= 3) {
            librdkafkaLog.error("[{}] {}: {}", name, facility, message);
        } else if (level == 4) {
            librdkafkaLog.warn("[{}] {}: {}", name, facility, message);
        } else if (level <= 6) {
            librdkafkaLog.info("[{}] {}: {}", name, facility, message);
        } else {
            librdkafkaLog.debug("[{}] {}: {}", name, facility, message);
        }
    }

    @Override
    public void onCallbackFailure(String errorType, Throwable failure) {
        events.emit(new Event.ErrorOccurred(name, errorType, null, failure, null));
    }
}
