package io.waterdrop.sample.boot;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropProducers;
import java.util.NoSuchElementException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sends one message with a chosen producer and answers with its delivery report:
 * {@code curl -d 'hello' 'localhost:8080/send?producer=orders&key=42'}.
 */
@RestController
class SendController {

    private final WaterDropProducers producers;

    SendController(WaterDropProducers producers) {
        this.producers = producers;
    }

    /** The producers one can send with. */
    @GetMapping("/producers")
    Set<String> producers() {
        return this.producers.names();
    }

    /**
     * @param producer the producer's name
     * @param topic defaults to the producer's name
     */
    @PostMapping("/send")
    Sent send(@RequestParam(defaultValue = "orders") String producer, @RequestParam(required = false) String topic,
            @RequestParam(required = false) String key, @RequestBody(required = false) String payload) {
        Producer chosen = this.producers.get(producer);
        Message message = Message.builder(topic != null ? topic : producer).key(key)
            .payload(payload != null ? payload : "sent over HTTP").build();
        DeliveryReport report = chosen.produceSync(message);
        return new Sent(chosen.name(), report.topic(), report.partition(), report.offset());
    }

    @ExceptionHandler(NoSuchElementException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String unknownProducer(NoSuchElementException ex) {
        return ex.getMessage();
    }

    record Sent(String producer, String topic, int partition, long offset) {
    }
}
