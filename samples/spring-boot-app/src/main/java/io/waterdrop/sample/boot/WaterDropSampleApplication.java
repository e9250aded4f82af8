package io.waterdrop.sample.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application whose producers come from application.yml alone: it sends a few messages with each
 * producer, prints the delivery reports and exits (or keeps running with {@code --waterdrop.sample.keep-running=true}).
 */
@SpringBootApplication
public class WaterDropSampleApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(WaterDropSampleApplication.class, args);
        if (!context.getEnvironment().getProperty("waterdrop.sample.keep-running", Boolean.class, false)) {
            // Closing the context flushes and closes every producer before the Pollers and the broker stop.
            System.exit(SpringApplication.exit(context));
        }
    }
}
