package io.waterdrop;

import java.time.Duration;

/** librdkafka's local queue stayed full for longer than the configured wait; the message was not accepted. */
public class QueueFullException extends WaterDropException {

    public QueueFullException(String producer, Duration waited) {
        super("Producer '" + producer + "': librdkafka's queue stayed full for " + waited.toMillis()
                + " ms; the message was NOT accepted. Slow down, raise kafka queue.buffering.max.messages / "
                + "queue.buffering.max.kbytes, or raise queue-full-timeout");
    }
}
