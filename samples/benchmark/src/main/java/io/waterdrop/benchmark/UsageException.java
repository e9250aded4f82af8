package io.waterdrop.benchmark;

/** A command-line argument the benchmark cannot use; the message names the flag and what is expected. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
