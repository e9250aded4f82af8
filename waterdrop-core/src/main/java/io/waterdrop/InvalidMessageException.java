package io.waterdrop;

/** A message failed validation before anything was sent. {@link #field()} names the offending field. */
public class InvalidMessageException extends WaterDropException {

    private final String field;

    public InvalidMessageException(String field, String reason) {
        super("Invalid message: " + field + " " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
