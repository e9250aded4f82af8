package io.waterdrop;

/** Lifecycle of a {@link Producer}. */
public enum ProducerState {
    /** Built, librdkafka client not created yet (created on first use or {@link Producer#connect()}). */
    INITIAL,
    /** librdkafka client created and being polled. */
    CONNECTED,
    /** {@code close} has started: no new messages, in-flight ones are being flushed. */
    CLOSING,
    /** Closed; every call fails with {@link ProducerClosedException}. */
    CLOSED
}
