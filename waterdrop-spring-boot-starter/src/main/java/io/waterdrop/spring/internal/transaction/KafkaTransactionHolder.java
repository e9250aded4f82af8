package io.waterdrop.spring.internal.transaction;

import org.springframework.transaction.support.ResourceHolderSupport;

/** The running Kafka transaction, bound to the thread under its {@link TransactionSource#resourceKey()}. */
public final class KafkaTransactionHolder extends ResourceHolderSupport {

    private final KafkaTransaction transaction;

    public KafkaTransactionHolder(KafkaTransaction transaction) {
        this.transaction = transaction;
    }

    public KafkaTransaction transaction() {
        return this.transaction;
    }
}
