package io.waterdrop.sample.boot;

import io.waterdrop.Producer;
import io.waterdrop.ProducerMetrics;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.internal.ProducersLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** On shutdown, once every producer has flushed and closed, prints what each one delivered. */
@Component
class ShutdownReport implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownReport.class);

    private final WaterDropProducers producers;
    private volatile boolean running;

    ShutdownReport(WaterDropProducers producers) {
        this.producers = producers;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        for (Producer producer : this.producers) {
            ProducerMetrics metrics = producer.metrics();
            log.info("Producer {} {}: produced {}, delivered {}, failed {}", producer.name(),
                    producer.state().name().toLowerCase(), metrics.produced(), metrics.acknowledged(),
                    metrics.failed());
        }
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return ProducersLifecycle.PHASE - 1; // stops right after the producers have flushed and closed
    }
}
