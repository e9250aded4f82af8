package io.waterdrop;

/** librdkafka is missing, could not be loaded, or is older than 2.0.0. The message says how to install it. */
public class LibraryUnavailableException extends WaterDropException {

    public LibraryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
