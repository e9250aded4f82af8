package io.waterdrop.internal.producer;

import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.internal.client.NativeEvents;
import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PolledClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one producer client's main queue reports (delivery reports, errors, statistics, logs), and the polling loop's
 * view of that client. Runs on the polling thread.
 *
 * <p>Bound to exactly ONE native client for its whole life, never to "the producer's current client": after a
 * {@code reopen()}, a registration of the old client that a Poller still holds can only ever touch the old client
 * (and does nothing once it is destroyed), never poll the new one or switch off its io events.
 */
final class ClientCallbacks implements NativeEvents, PolledClient {

    private static final Logger librdkafkaLog = LoggerFactory.getLogger("io.waterdrop.librdkafka");
    private static final byte[] IO_EVENT_PAYLOAD = {1};

    private final String name;
    private final EventSink events;
    private final DeliveryTracker deliveries;
    /** Only told about fatal errors, and only of {@link #client}; everything else here concerns that one client. */
    private final ClientLifecycle lifecycle;
    private NativeProducer client;

    ClientCallbacks(String name, EventSink events, DeliveryTracker deliveries, ClientLifecycle lifecycle) {
        this.name = name;
        this.events = events;
        this.deliveries = deliveries;
        this.lifecycle = lifecycle;
    }

    /** Binds these callbacks to the client created with them; once, before any polling starts. */
    void bind(NativeProducer created) {
        if (client != null) {
            throw new IllegalStateException("callbacks of producer '" + name + "' are already bound to a client");
        }
        client = created;
    }

    /** Whether the bound client can still be called (a stale registration may outlive it). */
    private boolean usable() {
        return client != null && !client.isDestroyed();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int poll(int timeoutMs) {
        return usable() ? served(client.serve(timeoutMs, 0)) : 0;
    }

    @Override
    public int pollUntil(long deadlineNanos) {
        return usable() ? served(client.serve(0, deadlineNanos)) : 0;
    }

    private int served(int served) {
        if (served > 0) {
            deliveries.progressed();
        }
        return served;
    }

    @Override
    public void wakeUp() {
        if (usable()) {
            client.yieldPoll();
        }
    }

    @Override
    public int outqLen() {
        return usable() ? client.outqLen() : 0;
    }

    @Override
    public void ioEvents(int fd) {
        if (usable()) {
            client.ioEvents(fd, fd < 0 ? null : IO_EVENT_PAYLOAD);
        }
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
    }

    @Override
    public void onError(int err, String reason) {
        if (err == KafkaError.FATAL) {
            lifecycle.fatalErrorRaised(client); // a flag the send path reads without a native call
        }
        KafkaError base = NativeProducer.error(err);
        KafkaError error = new KafkaError(err, base.name(), reason);
        deliveries.counters().error(error); // ops
        events.emit(new Event.ErrorOccurred(name, "librdkafka.error", error, null, null));
    }

    @Override
    public void onStatistics(String json) {
        deliveries.counters().statistics(json); // ops
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
