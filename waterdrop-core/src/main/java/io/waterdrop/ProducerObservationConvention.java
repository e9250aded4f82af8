package io.waterdrop;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a sent message. Implement it (or extend
 * {@link DefaultProducerObservationConvention}) and hand it to {@link ProducerObservation}, or in Spring Boot
 * declare it as a bean, to change what traces and timers show.
 */
public interface ProducerObservationConvention extends ObservationConvention<ProducerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ProducerObservationContext;
    }
}
