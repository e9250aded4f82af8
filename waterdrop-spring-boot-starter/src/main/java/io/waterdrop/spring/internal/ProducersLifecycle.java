package io.waterdrop.spring.internal;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Producer;
import io.waterdrop.ProducerState;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.WaterDropProducers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Connects every producer when the context starts and, when it stops, flushes and closes them all in parallel,
 * each bounded by its {@code close-timeout}. Runs in a phase after web servers and message listeners have stopped
 * (so nothing produces any more) and before {@link PollersLifecycle} (so the Pollers still deliver the reports the
 * flush waits for). A stopped context can start again: closed producers are reopened.
 */
public final class ProducersLifecycle implements SmartLifecycle {

    /**
     * Well below the phases in which Spring Boot shuts web servers down gracefully and stops them (the default phase
     * and 1024 below it) and in which message listener containers stop (the default phase): producers stop after
     * whatever may still be producing. Lower phases stop later.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** Extra time over a producer's close-timeout for the Poller to release it (core bounds that by 30 s). */
    private static final Duration RELEASE_GRACE = Duration.ofSeconds(35);

    private static final Logger log = LoggerFactory.getLogger(ProducersLifecycle.class);

    private final WaterDropProducers producers;
    private volatile boolean running;

    public ProducersLifecycle(WaterDropProducers producers) {
        this.producers = producers;
    }

    @Override
    public void start() {
        for (Producer producer : this.producers) {
            if (producer.state() == ProducerState.CLOSED) {
                producer.reopen();
            }
            try {
                producer.connect();
            }
            catch (ConfigurationException ex) {
                // librdkafka checks some combinations (e.g. idempotence with acks=1) only when the client is created.
                throw new InvalidProducerConfigurationException(producer.name(), "waterdrop.kafka merged with "
                        + "waterdrop.producers." + producer.name() + ".kafka", ex);
            }
        }
        this.running = true;
    }

    @Override
    public void stop() {
        Map<Producer, CompletableFuture<Integer>> closing = new LinkedHashMap<>();
        for (Producer producer : this.producers) {
            closing.put(producer, producer.closeAsync());
        }
        closing.forEach(this::awaitClosed);
        this.running = false;
    }

    private void awaitClosed(Producer producer, CompletableFuture<Integer> closed) {
        Duration bound = producer.config().closeTimeout().plus(RELEASE_GRACE);
        try {
            int undelivered = closed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            if (undelivered > 0) {
                log.warn("WaterDrop producer '{}' closed with {} messages undelivered after its close-timeout of {};"
                        + " they were purged and their delivery handles failed", producer.name(), undelivered,
                        producer.config().closeTimeout());
            }
        }
        catch (TimeoutException ex) {
            log.error("WaterDrop producer '{}' did not close within {}", producer.name(), bound);
        }
        catch (ExecutionException ex) {
            log.error("WaterDrop producer '{}' failed to close", producer.name(), ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            log.error("Interrupted while closing WaterDrop producer '{}'", producer.name());
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
