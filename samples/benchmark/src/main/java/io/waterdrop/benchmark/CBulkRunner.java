package io.waterdrop.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one round of the C client ({@code src/main/c/rdkafka_bulk.c}) as a child process and turns its RESULT line
 * into a {@link RoundResult}. The child primes its producer, says PRIMED and waits; the broker's CPU is read right
 * before the start signal and right after the RESULT line, so it covers the same part as in the Java rounds. CPU,
 * context switches, threads and RSS are the child's own (the JVM's are not involved).
 */
final class CBulkRunner {

    /** The command that builds the binary, quoted in errors and docs. */
    static final String BUILD_COMMAND = "gcc -O2 -Wall -o samples/benchmark/target/rdkafka_bulk "
            + "samples/benchmark/src/main/c/rdkafka_bulk.c -lrdkafka";

    private static final long TIMEOUT_MINUTES = 15;

    private final Path binary;
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> kafka;
    private final int payloadBytes;
    private final LongSupplier brokerCpuNanos;

    CBulkRunner(Path binary, String bootstrapServers, String topic, Map<String, String> kafka, int payloadBytes,
            LongSupplier brokerCpuNanos) {
        this.binary = binary;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.kafka = kafka;
        this.payloadBytes = payloadBytes;
        this.brokerCpuNanos = brokerCpuNanos;
    }

    /** The command line of one round: the binary, its four arguments, then every {@code --kafka} setting. */
    List<String> command(int messages) {
        List<String> command = new ArrayList<>(List.of(binary.toAbsolutePath().toString(), bootstrapServers, topic,
                Integer.toString(messages), Integer.toString(payloadBytes)));
        kafka.forEach((k, v) -> command.add(k + "=" + v));
        return command;
    }

    RoundResult run(int messages, int round) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("waterdrop-benchmark-c-", ".log");
        Process process = new ProcessBuilder(command(messages)).redirectError(errors.toFile()).start();
        boolean ok = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = process.getOutputStream()) {
            expect(out, "PRIMED", errors);
            long brokerBefore = brokerCpuNanos.getAsLong();
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            String result = expect(out, "RESULT", errors);
            long brokerAfter = brokerCpuNanos.getAsLong();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException("rdkafka_bulk did not exit cleanly: " + Files.readString(errors));
            }
            ok = true;
            return parse(result, messages, payloadBytes, round,
                    brokerBefore < 0 || brokerAfter < 0 ? -1 : brokerAfter - brokerBefore);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            if (ok) {
                Files.deleteIfExists(errors);
            }
        }
    }

    /** Reads lines until one starts with {@code prefix}; fails with the child's stderr when it ends first. */
    private static String expect(BufferedReader out, String prefix, Path errors) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("rdkafka_bulk ended before printing " + prefix + "; its stderr (" + errors + "): "
                + Files.readString(errors).strip());
    }

    /** A RESULT line as a round of the bulk scenario. */
    static RoundResult parse(String line, int messages, int payloadBytes, int round, long brokerCpuNanos) {
        Map<String, Long> values = new HashMap<>();
        for (String field : line.substring("RESULT".length()).trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a key=value field in rdkafka_bulk's RESULT line: " + field);
            }
            values.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
        }
        long rssKb = value(values, "rss_kb_added");
        return new RoundResult(Scenario.BULK, Variant.C, 1, messages, payloadBytes, round,
                value(values, "elapsed_ns"), 0, (int) value(values, "os_threads_added"), value(values, "cpu_ns"),
                rssKb < 0 ? -1 : rssKb * 1024, brokerCpuNanos, 0, 0, value(values, "failed"),
                value(values, "ctx_switches"), Idle.NONE, Latency.NONE);
    }

    private static long value(Map<String, Long> values, String key) {
        Long v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("rdkafka_bulk's RESULT line has no " + key);
        }
        return v;
    }
}
