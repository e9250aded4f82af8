package io.waterdrop.benchmark;

import io.waterdrop.DeliveryReport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What happens when a message is acknowledged, in a shape both clients take directly (WaterDrop's handle listener
 * and kafka-clients' {@link Callback}), so a round can hand the same object to every send without a wrapper per
 * message.
 */
abstract class Acknowledgement implements BiConsumer<DeliveryReport, Throwable>, Callback {

    /** Called once per message on the client's polling thread. */
    abstract void done(boolean delivered);

    /** Counts failures into {@code failed} and every acknowledgement down on {@code acknowledged}. */
    static Acknowledgement counting(CountDownLatch acknowledged, AtomicLong failed) {
        return new Acknowledgement() {
            @Override
            void done(boolean delivered) {
                if (!delivered) {
                    failed.incrementAndGet();
                }
                acknowledged.countDown();
            }
        };
    }

    @Override
    public final void accept(DeliveryReport report, Throwable error) {
        done(error == null);
    }

    @Override
    public final void onCompletion(RecordMetadata metadata, Exception error) {
        done(error == null);
    }
}
