package io.waterdrop;

import java.time.Duration;

/**
 * No member of a {@link ProducerPool} became free within the borrow timeout: every member is busy in a transaction.
 * Nothing was sent. Make transactions shorter, raise the pool size, or wait longer.
 */
public class PoolBorrowTimeoutException extends WaterDropException {

    public PoolBorrowTimeoutException(String pool, int size, Duration timeout) {
        super("Producer pool '" + pool + "': all " + size + " members stayed busy for " + timeout.toMillis()
                + " ms; make transactions shorter, raise the pool size, or borrow with a longer timeout");
    }
}
