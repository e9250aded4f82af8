package io.waterdrop;

/** The work of one transaction; see {@link Producer#transaction(TransactionBody)}. */
@FunctionalInterface
public interface TransactionBody<T> {
    T run() throws Exception;
}
