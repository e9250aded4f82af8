package io.waterdrop;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.List;

/**
 * What an observation of one sent message knows: the producer, the message, and (once it arrived) the delivery
 * report. The carrier is the list of headers added to the message: a tracing propagator writes the trace context
 * there, and the producer sends them with the message.
 */
public final class ProducerObservationContext extends SenderContext<List<Header>> {

    private final String producer;
    private final Message message;
    private DeliveryReport report;

    public ProducerObservationContext(String producer, Message message, List<Header> headers) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.add(Header.of(key, value));
            }
        }, Kind.PRODUCER);
        this.producer = producer;
        this.message = message;
        setCarrier(headers);
        setRemoteServiceName("Apache Kafka");
    }

    /** The producer's name. */
    public String producer() {
        return producer;
    }

    /** The message as the application built it (without the added headers). */
    public Message message() {
        return message;
    }

    /** The message's {@link Message#label() label}, or {@code null}; never made a tag or a span attribute. */
    public Object label() {
        return message.label();
    }

    /** The topic. */
    public String destination() {
        return message.topic();
    }

    /** The broker's acknowledgement, once delivered; {@code null} before and on failure. */
    public DeliveryReport report() {
        return report;
    }

    void setReport(DeliveryReport report) {
        this.report = report;
    }
}
