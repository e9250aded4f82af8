package io.waterdrop.spring.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.waterdrop.Poller;
import io.waterdrop.PollerMeterBinder;
import io.waterdrop.Producer;
import io.waterdrop.ProducerMeterBinder;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.spring.internal.PollerNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;

/**
 * Binds core's meter binders for every producer and Poller of the context to the application's registry (Spring
 * Boot binds every {@link MeterBinder} bean once the registry is ready) and removes their meters when the context
 * closes. Producer meters also leave the registry when their producer closes.
 */
public final class WaterDropMeterBinders implements MeterBinder, DisposableBean {

    private final WaterDropProducers producers;
    private final WaterDropPollers pollers;
    private final int latencySampleInterval;
    private final List<AutoCloseable> bound = new ArrayList<>();

    /** @param latencySampleInterval see {@link ProducerMeterBinder#ProducerMeterBinder(Producer, Iterable, int)} */
    public WaterDropMeterBinders(WaterDropProducers producers, WaterDropPollers pollers, int latencySampleInterval) {
        this.producers = producers;
        this.pollers = pollers;
        this.latencySampleInterval = latencySampleInterval;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        for (Producer producer : this.producers) {
            ProducerMeterBinder binder = new ProducerMeterBinder(producer, Tags.empty(), this.latencySampleInterval);
            binder.bindTo(registry);
            this.bound.add(binder);
        }
        for (Map.Entry<String, Poller> entry : new PollerNames(this.pollers).all().entrySet()) {
            PollerMeterBinder binder = new PollerMeterBinder(entry.getValue(), entry.getKey());
            binder.bindTo(registry);
            this.bound.add(binder);
        }
    }

    @Override
    public synchronized void destroy() throws Exception {
        for (AutoCloseable binder : this.bound) {
            binder.close();
        }
        this.bound.clear();
    }
}
