package io.waterdrop.spring.internal;

import io.waterdrop.Poller;
import io.waterdrop.spring.WaterDropPollers;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the Pollers after the producers: a Poller thread ends by itself when its last producer has closed, and this
 * waits (bounded) until it has, so a stopped context leaves no WaterDrop thread behind. A Poller that still serves
 * producers created outside the context is left running. Pollers start again with their first producer, so
 * {@link #start()} has nothing to do.
 */
public final class PollersLifecycle implements SmartLifecycle {

    /** Below {@link ProducersLifecycle#PHASE}: stops after every producer has closed. */
    public static final int PHASE = ProducersLifecycle.PHASE - 1024;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(PollersLifecycle.class);

    private final WaterDropPollers pollers;
    private volatile boolean running;

    public PollersLifecycle(WaterDropPollers pollers) {
        this.pollers = pollers;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        try {
            for (Poller poller : this.pollers.all()) {
                awaitStopped(poller);
            }
        }
        finally {
            this.running = false;
        }
    }

    private static void awaitStopped(Poller poller) {
        List<String> remaining = poller.stats().producers();
        if (!remaining.isEmpty()) {
            log.info("{} still serves producers {} that the application context does not manage; it stops when "
                    + "they close", poller.threadName(), remaining);
            return;
        }
        try {
            if (!poller.awaitStopped(STOP_TIMEOUT)) {
                log.warn("{} did not stop within {}", poller.threadName(), STOP_TIMEOUT);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
