package io.waterdrop.spring.internal;

import io.waterdrop.ProducerPool;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every {@link ProducerPool} when the context stops, in parallel and in the phase of
 * {@link ProducersLifecycle} (before the Pollers stop): each pool refuses new transactions, waits up to its
 * {@code close-timeout} for running ones, then closes its members. Members connect on their first transaction, so
 * starting does nothing; a closed pool stays closed (pools are not restarted with the context).
 */
public final class ProducerPoolsLifecycle implements SmartLifecycle {

    private final Supplier<List<ProducerPool>> pools;
    private volatile boolean running;

    public ProducerPoolsLifecycle(Supplier<List<ProducerPool>> pools) {
        this.pools = pools;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        List<CompletableFuture<Void>> closing = this.pools.get().stream()
            .map((pool) -> CompletableFuture.runAsync(pool::close))
            .toList();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return ProducersLifecycle.PHASE;
    }
}
