package io.waterdrop;

import java.time.Duration;

/**
 * Waiting for a delivery report took longer than allowed. The message is NOT known to be lost: librdkafka still owns
 * it and will report it (delivered, or failed after message.timeout.ms) through the handle and the monitor.
 */
public class DeliveryTimeoutException extends WaterDropException {

    public DeliveryTimeoutException(String producer, Duration waited) {
        super("Producer '" + producer + "' got no delivery report within " + waited.toMillis()
                + " ms; the message is still pending in librdkafka (raise max-wait-timeout or wait on the handle again)");
    }
}
