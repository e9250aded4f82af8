package io.waterdrop.internal.producer;

import io.waterdrop.internal.client.NativeProducer;
import io.waterdrop.internal.polling.PolledClient;
import io.waterdrop.internal.polling.PollingStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one place a producer's librdkafka client is made: the native handle, the callbacks bound to it, the polling
 * that serves it, and (once connected) its declared topics. Every client of a producer comes from here, the first
 * one and each after a reopen, a fatal-error reload or an idle disconnect, so whatever a client needs set up is set
 * up for each.
 */
final class ClientFactory {

    /** One live client: the handle, its callbacks (bound to it for life) and whoever polls it. */
    record OpenClient(NativeProducer client, ClientCallbacks callbacks, PollingStrategy polling) {
    }

    private final String name;
    private final Map<String, String> kafka;
    private final EventSink events;
    private final DeliveryTracker deliveries;
    private final Function<PolledClient, PollingStrategy> pollingFactory;
    private final DeclaredTopics declaredTopics;

    ClientFactory(String name, Map<String, String> kafka, EventSink events, DeliveryTracker deliveries,
            Function<PolledClient, PollingStrategy> pollingFactory, List<String> topics, Duration maxWait) {
        this.name = name;
        this.kafka = kafka;
        this.events = events;
        this.deliveries = deliveries;
        this.pollingFactory = pollingFactory;
        this.declaredTopics = new DeclaredTopics(name, topics, maxWait, events);
    }

    /**
     * Creates a client and starts polling it; on any failure the client is destroyed before the failure is thrown.
     *
     * @param lifecycle told about the new client's fatal errors
     * @param publish makes the client the producer's current one before polling starts (the polling thread may
     *     ask the producer about it at once)
     */
    OpenClient open(ClientLifecycle lifecycle, Consumer<OpenClient> publish) {
        ClientCallbacks callbacks = new ClientCallbacks(name, events, deliveries, lifecycle);
        NativeProducer created = NativeProducer.create(name, kafka, callbacks);
        callbacks.bind(created);
        try {
            PollingStrategy strategy = pollingFactory.apply(callbacks);
            OpenClient open = new OpenClient(created, callbacks, strategy);
            publish.accept(open);
            strategy.start();
            return open;
        } catch (RuntimeException | Error e) {
            // An Error too (e.g. "unable to create native thread" from starting the polling thread): the
            // producer stays INITIAL, so every later send would create, and leak, one more client.
            created.destroy();
            throw e;
        }
    }

    /** Right after connect: fetches the declared topics' metadata (the caller holds the handle's read lock). */
    void connected(NativeProducer client) {
        declaredTopics.declare(client);
    }
}
