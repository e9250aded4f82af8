package io.waterdrop;

/** A message failed validation before anything was sent. {@link #field()} names the offending field. */
public class InvalidMessageException extends WaterDropException {

    private final String field;

    public InvalidMessageException(String field, String reason) {
        super("Invalid message: " + field + " " + reason);
        this.field = field;
    }

    /** With the exception that made the field invalid (e.g. what a {@link Serializer} threw). */
    protected InvalidMessageException(String field, String reason, Throwable cause) {
        super("Invalid message: " + field + " " + reason, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
