package io.waterdrop.sample.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * A Spring Boot application whose producers come from application.yml alone. It keeps running until Ctrl-C: a
 * steady background load on every producer ({@link BackgroundLoad}), an HTTP endpoint to send a message with a
 * chosen producer ({@link SendController}), and Actuator's health, {@code waterdrop}, metrics and Prometheus
 * endpoints. Ctrl-C stops the load, flushes every producer, stops the broker and exits.
 */
@SpringBootApplication
public class WaterDropSampleApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(WaterDropSampleApplication.class);
        // Demo only: the embedded broker's test kit deletes its log directory in a JVM shutdown hook, and JVM
        // hooks run concurrently, so on Ctrl-C the broker could lose its disk while the producers still flush.
        // Closing the context on the signal first (flush, close, broker stop), then exiting, keeps that order.
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = application.run(args);
        Runnable shutdown = () -> {
            context.close();
            System.exit(0);
        };
        Signal.handle(new Signal("INT"), (signal) -> shutdown.run());
        Signal.handle(new Signal("TERM"), (signal) -> shutdown.run());
    }
}
