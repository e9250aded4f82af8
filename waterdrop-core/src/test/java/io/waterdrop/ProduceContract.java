package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The contract every input to the producer must meet (issue 7): it arrives byte-exactly, or it fails with a typed
 * error naming what was wrong. Shared by the edge-value tests and the property-based test.
 */
final class ProduceContract {

    private ProduceContract() {
    }

    /** What was read back is exactly what was sent: key, value and headers byte for byte, null kept apart from empty. */
    static void assertArrivedExactly(Message sent, DeliveryReport report, ConsumerRecord<byte[], byte[]> record) {
        assertThat(record).as("record of %s at %s/%s", sent, report.partition(), report.offset()).isNotNull();
        assertThat(record.topic()).isEqualTo(sent.topic());
        assertThat(record.partition()).isEqualTo(report.partition());
        if (sent.partition() != Message.ANY_PARTITION) {
            assertThat(record.partition()).isEqualTo(sent.partition());
        }
        assertThat(record.key()).as("key").isEqualTo(sent.key());
        assertThat(record.value()).as("value").isEqualTo(sent.payload());
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
        assertThat(headers).as("headers").containsExactlyElementsOf(sent.headers());
        if (sent.timestamp() != null) {
            assertThat(record.timestamp()).as("timestamp").isEqualTo(sent.timestamp());
        }
        assertThat(record.timestamp()).isEqualTo(report.timestamp());
    }

    /** A failure is one of the library's typed errors and says what was wrong. */
    static void assertTyped(Throwable failure) {
        assertThat(failure).isInstanceOf(WaterDropException.class);
        if (failure instanceof InvalidMessageException e) {
            assertThat(e.field()).isNotBlank();
            assertThat(e.getMessage()).startsWith("Invalid message: " + e.field() + " ");
        } else {
            assertThat(failure).isInstanceOf(ProduceException.class);
            assertThat(((ProduceException) failure).error().name()).isNotBlank();
        }
    }
}
