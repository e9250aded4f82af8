package io.waterdrop;

/**
 * Nothing polls the producer any more although it was not closed: its Poller gave up after repeated abnormal thread
 * exits (see {@link PollingInfo#failure()}, the cause). Delivery reports would never arrive, so the producer takes no
 * more messages; close it and create a new one.
 */
public class PollingStoppedException extends ProducerClosedException {

    public PollingStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
