package io.waterdrop.spring.internal.observation;

import io.micrometer.observation.ObservationRegistry;
import io.waterdrop.Producer;
import io.waterdrop.ProducerObservation;
import io.waterdrop.ProducerObservationConvention;
import io.waterdrop.spring.WaterDropProducers;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Adds a {@link ProducerObservation} to every producer of the context once all singletons exist (before the
 * producers connect), so every message they send is observed.
 */
public final class ProducerObservationRegistrar implements SmartInitializingSingleton {

    private final WaterDropProducers producers;
    private final ObservationRegistry registry;
    private final @Nullable ProducerObservationConvention convention;

    public ProducerObservationRegistrar(WaterDropProducers producers, ObservationRegistry registry,
            @Nullable ProducerObservationConvention convention) {
        this.producers = producers;
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Producer producer : this.producers) {
            producer.addSendObserver(new ProducerObservation(this.registry, this.convention));
        }
    }
}
