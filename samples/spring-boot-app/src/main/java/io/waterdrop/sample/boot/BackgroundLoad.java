package io.waterdrop.sample.boot;

import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.WaterDropException;
import io.waterdrop.spring.WaterDropProducers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A steady load on every producer: each {@code waterdrop.sample.load.interval}, {@code waterdrop.sample.load.<name>}
 * messages with producer {@code <name>} to the topic of the same name (bulk ones as one batch). Stops first on
 * shutdown (the highest phase), so the producers flush what it sent before they close.
 */
@Component
@ConditionalOnBooleanProperty(name = "waterdrop.sample.load.enabled", matchIfMissing = true)
class BackgroundLoad implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundLoad.class);

    private final WaterDropProducers producers;
    private final Duration interval;
    private final Map<String, Integer> perRound;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile ScheduledExecutorService executor;

    BackgroundLoad(WaterDropProducers producers, Environment environment) {
        Binder binder = Binder.get(environment);
        this.producers = producers;
        this.interval = binder.bind("waterdrop.sample.load.interval", Duration.class)
            .orElse(Duration.ofMillis(100));
        this.perRound = new java.util.LinkedHashMap<>();
        for (String name : producers.names()) {
            this.perRound.put(name, binder.bind("waterdrop.sample.load." + name, Integer.class).orElse(1));
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "sample-load");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleAtFixedRate(this::round, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
        this.executor = started;
        log.info("Background load: {} messages per producer every {}", this.perRound, this.interval);
    }

    private void round() {
        for (Map.Entry<String, Integer> entry : this.perRound.entrySet()) {
            Producer producer = this.producers.get(entry.getKey());
            List<Message> batch = new ArrayList<>(entry.getValue());
            for (int i = 0; i < entry.getValue(); i++) {
                long n = this.sent.incrementAndGet();
                batch.add(Message.builder(producer.name()).key("k" + (n % 64)).payload("load message " + n).build());
            }
            try {
                producer.produceManyAsync(batch);
            }
            catch (WaterDropException ex) {
                // A closing producer or a full queue: count it and keep the load going.
                this.refused.addAndGet(batch.size());
            }
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = this.executor;
        this.executor = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            log.info("Background load stopped after {} messages ({} refused); the producers flush and close next",
                    this.sent.get(), this.refused.get());
        }
    }

    @Override
    public boolean isRunning() {
        return this.executor != null;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE; // stops before the web server's graceful shutdown and the producers
    }
}
