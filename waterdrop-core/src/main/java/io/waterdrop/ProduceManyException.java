package io.waterdrop;

import java.util.List;

/** Some messages of a {@code produceManySync} batch were not delivered; every failure is listed, not just the first. */
public class ProduceManyException extends WaterDropException {

    private final transient List<Failure> failures;
    private final transient List<DeliveryReport> delivered;

    public ProduceManyException(String producer, int total, List<Failure> failures, List<DeliveryReport> delivered) {
        super("Producer '" + producer + "': " + failures.size() + " of " + total + " messages failed; first: "
                + failures.get(0).cause().getMessage());
        this.failures = List.copyOf(failures);
        this.delivered = List.copyOf(delivered);
    }

    public List<Failure> failures() {
        return failures;
    }

    public List<DeliveryReport> delivered() {
        return delivered;
    }

    /**
     * One failed message.
     *
     * @param index its position in the batch
     * @param message the message
     * @param cause why it failed ({@link ProduceException}, {@link DeliveryTimeoutException}, ...)
     */
    public record Failure(int index, Message message, WaterDropException cause) {
    }
}
