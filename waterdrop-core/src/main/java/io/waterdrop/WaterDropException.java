package io.waterdrop;

/** Base of every exception WaterDrop throws on purpose. */
public class WaterDropException extends RuntimeException {

    public WaterDropException(String message) {
        super(message);
    }

    public WaterDropException(String message, Throwable cause) {
        super(message, cause);
    }
}
