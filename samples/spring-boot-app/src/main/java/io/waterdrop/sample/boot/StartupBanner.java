package io.waterdrop.sample.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Prints where to look once the application is ready. */
@Component
class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        String base = "http://localhost:" + port;
        log.info("""
                WaterDrop sample running; Ctrl-C flushes every producer and exits.
                  health:      curl {}/actuator/health
                  producers:   curl {}/actuator/waterdrop
                  one of them: curl {}/actuator/waterdrop/orders
                  meters:      curl {}/actuator/metrics/waterdrop.producer.messages.acknowledged
                  prometheus:  curl {}/actuator/prometheus
                  send:        curl -d 'hello' '{}/send?producer=orders&key=42'""",
                base, base, base, base, base, base);
    }
}
