package io.waterdrop;

import java.util.List;

/**
 * Watches every message a producer sends, for tracing and similar instrumentation (see
 * {@link ProducerObservation}). Register one with {@link Producer#addSendObserver(SendObserver)}.
 *
 * <p>{@link #onSend} runs on the producing thread just before the message reaches librdkafka and may add headers
 * (trace context); the returned {@link Completion} runs once with the outcome: on the polling thread with the
 * delivery report, or on the producing thread when the message was refused before librdkafka took it. An observer
 * cannot change, reroute or drop a message. With no observer registered, producing costs one volatile read more.
 *
 * <p>Both methods must be quick and must not throw: an exception from {@code onSend} fails the send, one from
 * {@code completed} is reported as an {@code error.occurred} event of type {@code callbacks.observer.error}.
 */
public interface SendObserver {

    /**
     * A message is about to be sent.
     *
     * @param producer the producer's name
     * @param message the message as the application built it
     * @param headers headers to send in addition to the message's own; add to this list
     * @return what to call with the outcome, or {@code null} to ignore this message
     */
    Completion onSend(String producer, Message message, List<Header> headers);

    /** The outcome of one observed send. */
    @FunctionalInterface
    interface Completion {

        /**
         * Called once.
         *
         * @param report the broker's acknowledgement, or {@code null} when the message was not delivered
         * @param failure why the message was not delivered ({@link ProduceException} with librdkafka's error,
         *     {@link QueueFullException}, {@link ProducerClosedException}, ...), or {@code null} when it was
         */
        void completed(DeliveryReport report, Throwable failure);
    }
}
