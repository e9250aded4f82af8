package io.waterdrop.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft broker in a child {@code java} process ({@link BrokerProcessMain}) that can be stopped and started
 * again on the SAME ports with the SAME log directory, which the in-JVM {@code EmbeddedKafkaKraftBroker} cannot do.
 * It always has a {@code PLAINTEXT} listener (for topic set-up and read-back); extra listeners such as
 * {@code SASL_PLAINTEXT} or {@code SSL} are added with {@link Builder#listener}. The child dies with this JVM (its
 * stdin closes) and {@link #close()} deletes its directory.
 */
public final class BrokerProcess implements AutoCloseable {

    /** Carries the cluster id to the child's one-time storage format; not a Kafka setting. */
    static final String CLUSTER_ID_PROPERTY = "waterdrop.test.cluster.id";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path config;
    private final Map<String, Integer> ports;
    private Process process;

    private BrokerProcess(Path dir, Path config, Map<String, Integer> ports) {
        this.dir = dir;
        this.config = config;
        this.ports = ports;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A broker with only its PLAINTEXT listener, started. */
    public static BrokerProcess start() {
        return builder().start();
    }

    /** Bootstrap servers of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers("PLAINTEXT");
    }

    /** Bootstrap servers of the listener named {@code listener} (its name is also its security protocol). */
    public String bootstrapServers(String listener) {
        Integer port = ports.get(listener);
        if (port == null) {
            throw new IllegalArgumentException("no listener " + listener + "; listeners: " + ports.keySet());
        }
        return "localhost:" + port;
    }

    /** Whether the child process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker again (same ports, same data) and waits until it accepts connections. */
    public synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("the broker is running; stop() it first");
        }
        launch();
    }

    /** Stops the broker cleanly (controlled shutdown) and waits for the process to end. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the broker with SIGKILL (a crash: no controlled shutdown, the log is recovered on restart). */
    public synchronized void kill() throws InterruptedException {
        if (isRunning()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Where the child's output goes (kept until {@link #close()}). */
    public Path log() {
        return dir.resolve("broker.log");
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BrokerProcessMain.class.getName());
        command.add(config.toString());
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Process started = process;
        Thread reader = new Thread(() -> readStdout(started, ready), "broker-process-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            started.destroyForcibly();
            throw new IllegalStateException("the broker process did not start within " + START_TIMEOUT
                    + "; its log: " + log() + System.lineSeparator() + tail(), e);
        }
    }

    /** Finds the ready line, then keeps draining stdout into the log so the child never blocks on a full pipe. */
    private void readStdout(Process child, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); Writer logOut = Files.newBufferedWriter(dir.resolve("broker-stdout.log"),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(BrokerProcessMain.READY)) {
                    ready.complete(null);
                }
                logOut.write(line);
                logOut.write(System.lineSeparator());
                logOut.flush();
            }
        } catch (IOException e) {
            // The child ended or the directory was deleted: nothing more to read.
        } finally {
            ready.completeExceptionally(new IOException("the broker process closed its output"));
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Listeners, broker settings, then {@link #start()}. */
    public static final class Builder {

        private final Map<String, Integer> listeners = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
            listeners.put("PLAINTEXT", freePort());
        }

        /** Adds a listener named after its security protocol ({@code SASL_PLAINTEXT}, {@code SSL}) on a free port. */
        public Builder listener(String protocol) {
            listeners.put(protocol, freePort());
            return this;
        }

        /** A broker setting, e.g. {@code listener.name.ssl.ssl.keystore.location}. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public BrokerProcess start() {
            try {
                Path dir = Files.createTempDirectory("waterdrop-broker-");
                int controllerPort = freePort();
                Properties props = new Properties();
                props.put("process.roles", "broker,controller");
                props.put("node.id", "1");
                props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
                props.put("controller.listener.names", "CONTROLLER");
                props.put("inter.broker.listener.name", "PLAINTEXT");
                StringBuilder bind = new StringBuilder("CONTROLLER://localhost:" + controllerPort);
                StringBuilder advertised = new StringBuilder();
                StringBuilder protocols = new StringBuilder("CONTROLLER:PLAINTEXT");
                listeners.forEach((name, port) -> {
                    bind.append(',').append(name).append("://localhost:").append(port);
                    advertised.append(advertised.isEmpty() ? "" : ",").append(name).append("://localhost:").append(port);
                    protocols.append(',').append(name).append(':').append(name);
                });
                props.put("listeners", bind.toString());
                props.put("advertised.listeners", advertised.toString());
                props.put("listener.security.protocol.map", protocols.toString());
                props.put("log.dirs", dir.resolve("data").toString());
                props.put("num.partitions", "1");
                props.put("auto.create.topics.enable", "true");
                props.put("offsets.topic.replication.factor", "1");
                props.put("offsets.topic.num.partitions", "1");
                props.put("transaction.state.log.replication.factor", "1");
                props.put("transaction.state.log.min.isr", "1");
                props.put("transaction.state.log.num.partitions", "1");
                props.put("group.initial.rebalance.delay.ms", "0");
                props.put("share.coordinator.state.topic.replication.factor", "1");
                props.put("share.coordinator.state.topic.min.isr", "1");
                props.putAll(properties);
                props.put(CLUSTER_ID_PROPERTY, Uuid.randomUuid().toString());
                Path config = dir.resolve("server.properties");
                try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                    props.store(out, "written by " + BrokerProcess.class.getName());
                }
                BrokerProcess broker = new BrokerProcess(dir, config, Map.copyOf(listeners));
                broker.launch();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-process-shutdown"));
                return broker;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }


        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
