package io.waterdrop;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;

/**
 * Traces every message a producer sends with Micrometer Observation: one observation per message, started when it
 * is produced (on the producing thread, so the current observation becomes its parent) and stopped by its delivery
 * report (with the error when delivery failed). When a tracing propagator is registered, the trace context is
 * written into the message's headers. Needs {@code io.micrometer:micrometer-observation}.
 *
 * <pre>{@code
 * producer.addSendObserver(new ProducerObservation(observationRegistry));
 * }</pre>
 */
public final class ProducerObservation implements SendObserver {

    private final ObservationRegistry registry;
    private final ProducerObservationConvention convention;

    public ProducerObservation(ObservationRegistry registry) {
        this(registry, null);
    }

    /** @param convention replaces {@link DefaultProducerObservationConvention}; {@code null} keeps it */
    public ProducerObservation(ObservationRegistry registry, ProducerObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public Completion onSend(String producer, Message message, List<Header> headers) {
        if (registry.isNoop()) {
            return null;
        }
        ProducerObservationContext context = new ProducerObservationContext(producer, message, headers);
        Observation observation = Observation.createNotStarted(convention,
                DefaultProducerObservationConvention.INSTANCE, () -> context, registry).start();
        return (report, failure) -> {
            context.setReport(report);
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        };
    }
}
