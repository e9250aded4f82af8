package io.waterdrop;

/** Lifecycle of a {@link Producer}. */
public enum ProducerState {
    /** Built, librdkafka client not created yet (created on first use or {@link Producer#connect()}). */
    INITIAL,
    /** librdkafka client created and being polled. */
    CONNECTED,
    /**
     * Idle for longer than {@code idle-disconnect-timeout}: the librdkafka client was released (no broker connections,
     * no librdkafka threads, no Poller registration). The next produce or transaction reconnects transparently;
     * {@code flush} has nothing to wait for. Healthy, not closed.
     */
    DISCONNECTED,
    /** {@code close} has started: no new messages, in-flight ones are being flushed. */
    CLOSING,
    /** Closed; every call fails with {@link ProducerClosedException}. */
    CLOSED
}
