package io.waterdrop.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A broker in a child {@code java} process ({@link BrokerMain}, from this process's own classpath), so the
 * benchmark's CPU, thread and memory numbers belong to the client alone. Stopped by {@link #close()}, by a shutdown
 * hook when the benchmark fails or is interrupted, and by itself when this process dies (its stdin closes).
 */
final class ChildBroker implements AutoCloseable {

    private final Process process;
    private final String bootstrapServers;
    private final Path log;
    private final Thread shutdownHook;

    private ChildBroker(Process process, String bootstrapServers, Path log) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "benchmark-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the child and waits until it reports its address. */
    static ChildBroker start(Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("waterdrop-benchmark-broker-", ".log");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-Xms512m");
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BrokerMain.class.getName());
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .start();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStdout(process, address), "benchmark-broker-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            String servers = address.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChildBroker(process, servers, log);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("The broker child process did not start within " + timeout + " (exit: "
                    + (process.isAlive() ? "still running" : process.exitValue()) + "); its log: " + log
                    + System.lineSeparator() + tail(log), e);
        }
    }

    /** Finds the ready line, then keeps draining stdout so the child never blocks on a full pipe. */
    private static void readStdout(Process process, CompletableFuture<String> address) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!address.isDone() && line.startsWith(BrokerMain.READY_PREFIX)) {
                    address.complete(line.substring(BrokerMain.READY_PREFIX.length()).trim());
                }
            }
            address.completeExceptionally(new IOException("the broker process closed its output"));
        } catch (IOException e) {
            address.completeExceptionally(e);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the broker has used so far, -1 when unknown. */
    long cpuNanos() {
        return ProcessMetrics.cpuNanosOf(process.pid());
    }

    Path log() {
        return log;
    }

    /** Stops the broker and deletes its log. */
    @Override
    public void close() {
        close(false);
    }

    /** Stops the broker; its log is kept when asked to (after a failed run) and deleted otherwise. */
    void close(boolean keepLog) {
        stop();
        if (!keepLog) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // A leftover temp file is harmless.
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stop() is idempotent.
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close(); // end of stdin: BrokerMain shuts the broker down cleanly
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
