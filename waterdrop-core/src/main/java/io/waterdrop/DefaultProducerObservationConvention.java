package io.waterdrop;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default names and tags, following spring-kafka's sender side ({@code spring.kafka.template}) and
 * OpenTelemetry's messaging conventions: name {@value #NAME}, contextual name {@code <topic> send}, low-cardinality
 * {@code messaging.system=kafka}, {@code messaging.operation=publish}, {@code messaging.destination.kind=topic},
 * {@code messaging.destination.name=<topic>}, {@code waterdrop.producer=<name>}; high-cardinality
 * {@code messaging.kafka.destination.partition} and {@code messaging.kafka.message.offset} once delivered.
 */
public class DefaultProducerObservationConvention implements ProducerObservationConvention {

    /** The observation's name (and the timer's, when observations are timed). */
    public static final String NAME = "waterdrop.producer.send";

    public static final DefaultProducerObservationConvention INSTANCE = new DefaultProducerObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(ProducerObservationContext context) {
        return context.destination() + " send";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ProducerObservationContext context) {
        return KeyValues.of(KeyValue.of("messaging.system", "kafka"),
                KeyValue.of("messaging.operation", "publish"),
                KeyValue.of("messaging.destination.kind", "topic"),
                KeyValue.of("messaging.destination.name", context.destination()),
                KeyValue.of("waterdrop.producer", context.producer()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ProducerObservationContext context) {
        DeliveryReport report = context.report();
        if (report == null) {
            return KeyValues.empty();
        }
        return KeyValues.of(KeyValue.of("messaging.kafka.destination.partition", String.valueOf(report.partition())),
                KeyValue.of("messaging.kafka.message.offset", String.valueOf(report.offset())));
    }
}
