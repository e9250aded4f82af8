package io.waterdrop.internal.producer;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import java.util.concurrent.CompletableFuture;

/**
 * The writable side of one message's delivery: only {@link DeliveryTracker} completes it. Callers see it through a
 * read-only {@link io.waterdrop.DeliveryHandle}.
 */
public final class PendingDelivery extends CompletableFuture<DeliveryReport> {

    private final Message message;

    public PendingDelivery(Message message) {
        this.message = message;
    }

    public Message message() {
        return message;
    }
}
