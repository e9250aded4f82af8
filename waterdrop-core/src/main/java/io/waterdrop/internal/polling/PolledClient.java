package io.waterdrop.internal.polling;

/**
 * What a polling loop needs from a producer. Implemented by the Producer; every method but {@link #ioEvents} is
 * called on the polling thread only.
 */
public interface PolledClient {

    /** The producer's name, for events and logs. */
    String name();

    /** rd_kafka_poll(rk, timeoutMs): serves queued events (callbacks run here); returns how many were served. */
    int poll(int timeoutMs);

    /**
     * rd_kafka_poll(rk, 0) that also stops after the delivery report during which {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes, so one big batch of reports cannot overrun the producer's budget.
     */
    int pollUntil(long deadlineNanos);

    /** Makes a blocking {@link #poll} on another thread return now (rd_kafka_yield). */
    void wakeUp();

    /** Messages still queued, in flight or waiting for a poll. */
    int outqLen();

    /** Points librdkafka's main-queue wake-ups at {@code fd}; {@code -1} turns them off. */
    void ioEvents(int fd);

    /** The producer joined Poller {@code pollerId}. */
    void registered(int pollerId);

    /** The producer left Poller {@code pollerId}; the Poller will not touch it again. */
    void unregistered(int pollerId);

    /** The polling loop failed around this producer; {@code type} is e.g. {@code poller.polling_loop}. */
    void pollingError(String type, Throwable failure);
}
