package io.waterdrop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pending delivery of one message, read-only: completes with the {@link DeliveryReport} when the broker
 * acknowledged the message, or exceptionally with a {@link ProduceException} when it failed. Only the producer
 * completes it; nothing a caller does (writes to {@link #toCompletableFuture()}'s copy or to a dependent stage
 * included) changes the outcome.
 *
 * <p>A {@link CompletionStage} with the read side of a {@code Future} ({@link #isDone()}, {@link #get()}), but not
 * a {@code Future} itself: a handed-over message cannot be cancelled, and being both types would make
 * {@code assertThat(handle)} ambiguous in AssertJ. {@link #toCompletableFuture()} gives a {@code Future} copy.
 *
 * <p>Completion happens on the producer's polling thread: keep dependent stages short or use the {@code *Async}
 * variants with your own executor.
 */
public final class DeliveryHandle implements CompletionStage<DeliveryReport> {

    private final String producer;
    private final Message message;
    private final Duration maxWait;
    private final CompletableFuture<DeliveryReport> outcome;

    DeliveryHandle(String producer, Message message, Duration maxWait, CompletableFuture<DeliveryReport> outcome) {
        this.producer = producer;
        this.message = message;
        this.maxWait = maxWait;
        this.outcome = outcome;
    }

    public Message message() {
        return message;
    }

    /** Waits up to the producer's {@code max-wait-timeout}; see {@link #await(Duration)}. */
    public DeliveryReport await() {
        return await(maxWait);
    }

    /**
     * Waits for the report at most {@code timeout} (virtual-thread friendly).
     *
     * @throws ProduceException when the message was not delivered
     * @throws DeliveryTimeoutException when no report came in time (the message may still be delivered)
     */
    public DeliveryReport await(Duration timeout) {
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new DeliveryTimeoutException(producer, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WaterDropException w) {
                throw w;
            }
            throw new WaterDropException("Delivery of " + message + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaterDropException("Interrupted while waiting for the delivery of " + message, e);
        }
    }

    /** Whether the delivery failed (the handle is done and {@link #await()} throws). */
    public boolean isCompletedExceptionally() {
        return outcome.isCompletedExceptionally();
    }

    // ------------------------------------------------------------------ the read side of a Future

    /** Whether the report arrived (delivered or failed). */
    public boolean isDone() {
        return outcome.isDone();
    }

    /** Like {@link java.util.concurrent.Future#get()}; prefer {@link #await()}, which throws typed errors. */
    public DeliveryReport get() throws InterruptedException, ExecutionException {
        return outcome.get();
    }

    /** Like {@link java.util.concurrent.Future#get(long, TimeUnit)}; prefer {@link #await(Duration)}. */
    public DeliveryReport get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return outcome.get(timeout, unit);
    }

    // ------------------------------------------------------------------ CompletionStage (dependents only)

    /** A new future that completes like this handle; completing it leaves the handle unchanged. */
    @Override
    public CompletableFuture<DeliveryReport> toCompletableFuture() {
        return outcome.copy();
    }

    @Override
    public <U> CompletionStage<U> thenApply(Function<? super DeliveryReport, ? extends U> fn) {
        return outcome.thenApply(fn);
    }

    @Override
    public <U> CompletionStage<U> thenApplyAsync(Function<? super DeliveryReport, ? extends U> fn) {
        return outcome.thenApplyAsync(fn);
    }

    @Override
    public <U> CompletionStage<U> thenApplyAsync(Function<? super DeliveryReport, ? extends U> fn, Executor executor) {
        return outcome.thenApplyAsync(fn, executor);
    }

    @Override
    public CompletionStage<Void> thenAccept(Consumer<? super DeliveryReport> action) {
        return outcome.thenAccept(action);
    }

    @Override
    public CompletionStage<Void> thenAcceptAsync(Consumer<? super DeliveryReport> action) {
        return outcome.thenAcceptAsync(action);
    }

    @Override
    public CompletionStage<Void> thenAcceptAsync(Consumer<? super DeliveryReport> action, Executor executor) {
        return outcome.thenAcceptAsync(action, executor);
    }

    @Override
    public CompletionStage<Void> thenRun(Runnable action) {
        return outcome.thenRun(action);
    }

    @Override
    public CompletionStage<Void> thenRunAsync(Runnable action) {
        return outcome.thenRunAsync(action);
    }

    @Override
    public CompletionStage<Void> thenRunAsync(Runnable action, Executor executor) {
        return outcome.thenRunAsync(action, executor);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombine(CompletionStage<? extends U> other,
            BiFunction<? super DeliveryReport, ? super U, ? extends V> fn) {
        return outcome.thenCombine(other, fn);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombineAsync(CompletionStage<? extends U> other,
            BiFunction<? super DeliveryReport, ? super U, ? extends V> fn) {
        return outcome.thenCombineAsync(other, fn);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombineAsync(CompletionStage<? extends U> other,
            BiFunction<? super DeliveryReport, ? super U, ? extends V> fn, Executor executor) {
        return outcome.thenCombineAsync(other, fn, executor);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBoth(CompletionStage<? extends U> other,
            BiConsumer<? super DeliveryReport, ? super U> action) {
        return outcome.thenAcceptBoth(other, action);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
            BiConsumer<? super DeliveryReport, ? super U> action) {
        return outcome.thenAcceptBothAsync(other, action);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
            BiConsumer<? super DeliveryReport, ? super U> action, Executor executor) {
        return outcome.thenAcceptBothAsync(other, action, executor);
    }

    @Override
    public CompletionStage<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return outcome.runAfterBoth(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
        return outcome.runAfterBothAsync(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return outcome.runAfterBothAsync(other, action, executor);
    }

    @Override
    public <U> CompletionStage<U> applyToEither(CompletionStage<? extends DeliveryReport> other,
            Function<? super DeliveryReport, U> fn) {
        return outcome.applyToEither(other, fn);
    }

    @Override
    public <U> CompletionStage<U> applyToEitherAsync(CompletionStage<? extends DeliveryReport> other,
            Function<? super DeliveryReport, U> fn) {
        return outcome.applyToEitherAsync(other, fn);
    }

    @Override
    public <U> CompletionStage<U> applyToEitherAsync(CompletionStage<? extends DeliveryReport> other,
            Function<? super DeliveryReport, U> fn, Executor executor) {
        return outcome.applyToEitherAsync(other, fn, executor);
    }

    @Override
    public CompletionStage<Void> acceptEither(CompletionStage<? extends DeliveryReport> other,
            Consumer<? super DeliveryReport> action) {
        return outcome.acceptEither(other, action);
    }

    @Override
    public CompletionStage<Void> acceptEitherAsync(CompletionStage<? extends DeliveryReport> other,
            Consumer<? super DeliveryReport> action) {
        return outcome.acceptEitherAsync(other, action);
    }

    @Override
    public CompletionStage<Void> acceptEitherAsync(CompletionStage<? extends DeliveryReport> other,
            Consumer<? super DeliveryReport> action, Executor executor) {
        return outcome.acceptEitherAsync(other, action, executor);
    }

    @Override
    public CompletionStage<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return outcome.runAfterEither(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
        return outcome.runAfterEitherAsync(other, action);
    }

    @Override
    public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return outcome.runAfterEitherAsync(other, action, executor);
    }

    @Override
    public <U> CompletionStage<U> thenCompose(Function<? super DeliveryReport, ? extends CompletionStage<U>> fn) {
        return outcome.thenCompose(fn);
    }

    @Override
    public <U> CompletionStage<U> thenComposeAsync(
            Function<? super DeliveryReport, ? extends CompletionStage<U>> fn) {
        return outcome.thenComposeAsync(fn);
    }

    @Override
    public <U> CompletionStage<U> thenComposeAsync(
            Function<? super DeliveryReport, ? extends CompletionStage<U>> fn, Executor executor) {
        return outcome.thenComposeAsync(fn, executor);
    }

    @Override
    public <U> CompletionStage<U> handle(BiFunction<? super DeliveryReport, Throwable, ? extends U> fn) {
        return outcome.handle(fn);
    }

    @Override
    public <U> CompletionStage<U> handleAsync(BiFunction<? super DeliveryReport, Throwable, ? extends U> fn) {
        return outcome.handleAsync(fn);
    }

    @Override
    public <U> CompletionStage<U> handleAsync(BiFunction<? super DeliveryReport, Throwable, ? extends U> fn,
            Executor executor) {
        return outcome.handleAsync(fn, executor);
    }

    @Override
    public CompletionStage<DeliveryReport> whenComplete(BiConsumer<? super DeliveryReport, ? super Throwable> action) {
        return outcome.whenComplete(action);
    }

    @Override
    public CompletionStage<DeliveryReport> whenCompleteAsync(
            BiConsumer<? super DeliveryReport, ? super Throwable> action) {
        return outcome.whenCompleteAsync(action);
    }

    @Override
    public CompletionStage<DeliveryReport> whenCompleteAsync(
            BiConsumer<? super DeliveryReport, ? super Throwable> action, Executor executor) {
        return outcome.whenCompleteAsync(action, executor);
    }

    @Override
    public CompletionStage<DeliveryReport> exceptionally(Function<Throwable, ? extends DeliveryReport> fn) {
        return outcome.exceptionally(fn);
    }

    @Override
    public String toString() {
        return "DeliveryHandle[" + message + ", " + (outcome.isDone()
                ? outcome.isCompletedExceptionally() ? "failed" : "delivered" : "pending") + "]";
    }
}
