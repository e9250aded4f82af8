package io.waterdrop.internal.polling;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thread mode: one daemon thread per producer serving its main queue with a poll timeout, like rdkafka's usual binding. */
public final class ThreadPolling implements PollingStrategy {

    private static final Logger log = LoggerFactory.getLogger(ThreadPolling.class);

    private final PolledClient client;
    private final int timeoutMs;
    private final long closeDrainNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public ThreadPolling(PolledClient client, Duration pollTimeout, Duration closeDrain) {
        this.client = client;
        this.timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, pollTimeout.toMillis()));
        this.closeDrainNanos = closeDrain.toNanos();
        this.thread = new PollingThread(this::loop, "waterdrop.native_kafka#" + client.name());
    }

    /** Whether the calling thread is some thread-mode producer's polling thread. */
    static boolean onPollingThread() {
        return Thread.currentThread() instanceof PollingThread;
    }

    /** The thread type, so {@link #onPollingThread()} needs no lookup. */
    private static final class PollingThread extends Thread {
        PollingThread(Runnable loop, String name) {
            super(loop, name);
            setDaemon(true);
        }
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop() {
        long backoffMs = 0;
        while (running) {
            try {
                client.poll(timeoutMs);
                backoffMs = 0;
            } catch (Throwable t) {
                // Serving catches what listeners throw; this is a last line of defence.
                client.pollingError("poller.polling_loop", t);
                backoffMs = backoffMs == 0 ? 100 : Math.min(30_000, backoffMs * 2);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException e) {
                    if (running) {
                        stoppedAbnormally(e);
                    }
                    break;
                }
            }
        }
        drainBounded();
    }

    /** The thread ends while the producer is open: nobody will poll it again, which health must show. */
    private void stoppedAbnormally(Throwable cause) {
        failure = new IllegalStateException(thread.getName() + " stopped abnormally (" + cause
                + "); this producer is no longer polled: close it and create a new one", cause);
        client.pollingError("poller.stopped", failure);
    }

    private void drainBounded() {
        long deadline = System.nanoTime() + closeDrainNanos;
        try {
            while (client.poll(0) > 0 || client.outqLen() > 0) {
                if (System.nanoTime() >= deadline) {
                    client.pollingError("poller.close_drain", new IllegalStateException(client.outqLen()
                            + " events were still pending when the close drain bound ran out"));
                    return;
                }
                Thread.onSpinWait();
            }
        } catch (Throwable t) {
            client.pollingError("poller.close_drain", t);
        }
    }

    @Override
    public boolean stop(Duration timeout) {
        running = false;
        client.wakeUp();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("Polling thread {} did not stop within {} ms", thread.getName(), timeout.toMillis());
            return false;
        }
        return true;
    }

    @Override
    public boolean isPollingThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public String describe() {
        return "thread " + thread.getName() + ", poll-timeout " + timeoutMs + "ms";
    }

    public Thread thread() {
        return thread;
    }
}
