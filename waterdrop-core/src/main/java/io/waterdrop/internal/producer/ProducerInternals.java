package io.waterdrop.internal.producer;

import io.waterdrop.Producer;
import java.util.function.Function;

/**
 * How WaterDrop's own modules (the Spring starter's transaction manager) reach a producer's {@link Transactions}
 * without a public method on {@link Producer}; not for applications.
 */
public final class ProducerInternals {

    private static volatile Function<Producer, Transactions> transactions;

    private ProducerInternals() {
    }

    /** Called once, by {@link Producer}'s class initialisation. */
    public static void register(Function<Producer, Transactions> accessor) {
        if (transactions != null) {
            throw new IllegalStateException("already registered");
        }
        transactions = accessor;
    }

    /** The transactions of {@code producer}; it must be transactional ({@code transactional.id}). */
    public static Transactions transactions(Producer producer) {
        return transactions.apply(producer); // Producer's class is initialised: producer is an instance
    }
}
