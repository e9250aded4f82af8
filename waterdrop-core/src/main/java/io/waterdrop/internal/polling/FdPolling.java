package io.waterdrop.internal.polling;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** fd mode: the producer's pipe is registered with a {@link PollerLoop}; no thread of its own. */
public final class FdPolling implements PollingStrategy {

    private static final Logger log = LoggerFactory.getLogger(FdPolling.class);

    private final PollerLoop loop;
    private final PolledClient client;
    private final Duration maxTime;
    private final Duration periodicInterval;
    private final Duration closeDrain;
    private volatile FdRegistration registration;

    public FdPolling(PollerLoop loop, PolledClient client, Duration maxTime, Duration periodicInterval,
            Duration closeDrain) {
        this.loop = loop;
        this.client = client;
        this.maxTime = maxTime;
        this.periodicInterval = periodicInterval;
        this.closeDrain = closeDrain;
    }

    @Override
    public void start() {
        FdRegistration r = new FdRegistration(client, maxTime.toNanos(), periodicInterval.toNanos(),
                closeDrain.toNanos());
        try {
            loop.register(r);
        } catch (RuntimeException | Error e) {
            r.release(); // io events off and the pipe closed: the failed start leaks no fds
            throw e;
        }
        registration = r;
    }

    @Override
    public boolean stop(Duration timeout) {
        FdRegistration r = registration;
        if (r == null) {
            return true;
        }
        r.requestClose();
        try {
            r.unregistered().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.error("Poller {} did not release producer '{}' within {} ms", loop.threadName(), client.name(),
                    timeout.toMillis());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // never completed exceptionally; treat as released
        }
    }

    @Override
    public boolean isPollingThread() {
        return Thread.currentThread() == loop.thread();
    }

    @Override
    public Throwable failure() {
        FdRegistration r = registration;
        return r == null ? null : r.failure();
    }

    @Override
    public String describe() {
        return "fd on " + loop.threadName() + ", max-time " + maxTime.toMillis() + "ms";
    }

    public PollerLoop loop() {
        return loop;
    }
}
