package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run, parsed from the command line. Every flag takes {@code --flag value} or {@code --flag=value}.
 *
 * @param bootstrapServers an existing broker, or {@code null} to start one in a child process
 * @param producers the producer counts P to run, in order
 * @param messages messages per producer (M)
 * @param payloadBytes payload size of every message (B)
 * @param rounds measured rounds per (mode, P)
 * @param warmupRounds unrecorded rounds before the measured ones
 * @param idleSeconds after producing, how long to leave the producers idle while measuring what idling costs
 *     (CPU and context switches); 0 skips it
 * @param modes the polling modes, run interleaved in this order within every round
 * @param topic the topic to produce to, or {@code null} for a fresh one
 * @param partitions partitions of a topic the benchmark creates
 * @param kafka extra librdkafka properties for every producer
 * @param csv where to write one row per measured round, or {@code null}
 * @param chart where to write the PNG bar chart, or {@code null}
 * @param metrics whether every producer's Micrometer meters are bound (to a SimpleMeterRegistry) while it runs
 * @param help whether only the usage was asked for
 */
public record BenchmarkOptions(String bootstrapServers, List<Integer> producers, int messages, int payloadBytes,
        int rounds, int warmupRounds, int idleSeconds, List<PollingMode> modes, String topic, int partitions,
        Map<String, String> kafka, Path csv, Path chart, boolean metrics, boolean help) {

    public static final List<Integer> DEFAULT_PRODUCERS = List.of(1, 2, 5, 10, 25, 100);
    public static final List<PollingMode> DEFAULT_MODES = List.of(PollingMode.THREAD, PollingMode.FD);

    public BenchmarkOptions {
        producers = List.copyOf(producers);
        modes = List.copyOf(modes);
        kafka = Map.copyOf(kafka);
    }

    /** The defaults: the seed's table plus P = 100. */
    public static BenchmarkOptions defaults() {
        return new BenchmarkOptions(null, DEFAULT_PRODUCERS, 1_000, 100, 5, 1, 0, DEFAULT_MODES, null, 1, Map.of(),
                null, null, false, false);
    }

    /** Whether the benchmark starts its own broker in a child process. */
    public boolean startsBroker() {
        return bootstrapServers == null;
    }

    /**
     * Parses the command line.
     *
     * @throws UsageException naming the flag when an argument is unknown, missing its value, or invalid
     */
    public static BenchmarkOptions parse(String... args) {
        BenchmarkOptions d = defaults();
        String bootstrap = d.bootstrapServers;
        List<Integer> producers = d.producers;
        int messages = d.messages;
        int payloadBytes = d.payloadBytes;
        int rounds = d.rounds;
        int warmup = d.warmupRounds;
        int idle = d.idleSeconds;
        List<PollingMode> modes = d.modes;
        String topic = d.topic;
        int partitions = d.partitions;
        Map<String, String> kafka = new LinkedHashMap<>();
        Path csv = null;
        Path chart = null;
        boolean metrics = d.metrics;
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("Unexpected argument '" + arg + "': every option is a --flag; see --help");
            }
            String flag = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(flag + " needs a value; see --help");
            }
            switch (flag) {
                case "--bootstrap-servers" -> bootstrap = nonBlank(flag, value);
                case "--producers" -> producers = positiveList(flag, value);
                case "--messages" -> messages = positive(flag, value);
                case "--payload-bytes" -> payloadBytes = positive(flag, value);
                case "--rounds" -> rounds = positive(flag, value);
                case "--warmup-rounds" -> warmup = atLeastZero(flag, value);
                case "--idle-seconds" -> idle = atLeastZero(flag, value);
                case "--modes" -> modes = modes(flag, value);
                case "--topic" -> topic = nonBlank(flag, value);
                case "--partitions" -> partitions = positive(flag, value);
                case "--kafka" -> kafkaProperty(flag, value, kafka);
                case "--csv" -> csv = Path.of(nonBlank(flag, value));
                case "--chart" -> chart = chartPath(flag, value);
                case "--metrics" -> metrics = onOff(flag, value);
                default -> throw new UsageException("Unknown option " + flag + "; see --help");
            }
        }
        return new BenchmarkOptions(bootstrap, producers, messages, payloadBytes, rounds, warmup, idle, modes, topic,
                partitions, kafka, csv, chart, metrics, help);
    }

    private static boolean onOff(String flag, String value) {
        return switch (value.trim()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UsageException(flag + " takes on or off, not '" + value + "'");
        };
    }

    private static String nonBlank(String flag, String value) {
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a non-empty value");
        }
        return value.trim();
    }

    private static int positive(String flag, String value) {
        int n = integer(flag, value);
        if (n < 1) {
            throw new UsageException(flag + " must be at least 1 but was " + n);
        }
        return n;
    }

    private static int atLeastZero(String flag, String value) {
        int n = integer(flag, value);
        if (n < 0) {
            throw new UsageException(flag + " must be 0 or more but was " + n);
        }
        return n;
    }

    private static int integer(String flag, String value) {
        String v = value.trim().replace("_", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number but got '" + value + "'");
        }
    }

    private static List<Integer> positiveList(String flag, String value) {
        List<Integer> list = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                throw new UsageException(flag + " expects a comma-separated list like 1,2,5 but got '" + value + "'");
            }
            int n = positive(flag, part);
            if (list.contains(n)) {
                throw new UsageException(flag + " lists " + n + " twice");
            }
            list.add(n);
        }
        return list;
    }

    private static List<PollingMode> modes(String flag, String value) {
        List<PollingMode> list = new ArrayList<>();
        for (String part : value.split(",")) {
            PollingMode mode = switch (part.trim().toLowerCase()) {
                case "thread" -> PollingMode.THREAD;
                case "fd" -> PollingMode.FD;
                default -> throw new UsageException(flag + " accepts thread and fd (comma-separated) but got '"
                        + part.trim() + "'");
            };
            if (list.contains(mode)) {
                throw new UsageException(flag + " lists " + mode + " twice");
            }
            list.add(mode);
        }
        return list;
    }

    private static void kafkaProperty(String flag, String value, Map<String, String> kafka) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new UsageException(flag + " expects key=value (a librdkafka property) but got '" + value + "'");
        }
        kafka.put(value.substring(0, eq).trim(), value.substring(eq + 1));
    }

    private static Path chartPath(String flag, String value) {
        String v = nonBlank(flag, value);
        if (!v.toLowerCase().endsWith(".png")) {
            throw new UsageException(flag + " writes a PNG; give a file name ending in .png, not '" + v + "'");
        }
        return Path.of(v);
    }

    /** The text of {@code --help}. */
    public static String usage() {
        return """
                Usage: java -jar waterdrop-benchmark.jar [options]

                P producers (one application thread each) each produce M messages of B bytes with produceAsync
                and wait for every delivery report; msg/s = P*M/elapsed. Modes run interleaved (thread, fd,
                thread, fd, ...) after warm-up; the median and min/max per (mode, P) are reported with JVM and
                OS threads added, process CPU time and RSS growth. Without --bootstrap-servers a KRaft broker is
                started in a child process, so CPU, threads and memory measure the client alone.

                Options:
                  --bootstrap-servers HOST:PORT  use this broker instead of starting one
                  --producers LIST               producer counts, comma-separated (default 1,2,5,10,25,100)
                  --messages M                   messages per producer (default 1000)
                  --payload-bytes B              payload size in bytes (default 100)
                  --rounds R                     measured rounds per (mode, P) (default 5)
                  --warmup-rounds W              unrecorded rounds first (default 1)
                  --idle-seconds S               then leave the producers idle S seconds and measure CPU
                                                 and context switches per second (default 0: skip)
                  --modes LIST                   thread, fd or both, in run order (default thread,fd)
                  --topic NAME                   topic to use (default: a new one per run)
                  --partitions N                 partitions of the topic the benchmark creates (default 1)
                  --kafka KEY=VALUE              extra librdkafka property for every producer (repeatable)
                  --csv FILE                     write one row per measured round
                  --chart FILE.png               write a bar chart of the median msg/s per P and mode
                  --metrics on|off               bind every producer's Micrometer meters while it runs
                                                 (default off), to measure what metrics cost
                  --help                         show this text

                Example (issue 2's single-producer number):
                  java -jar waterdrop-benchmark.jar --producers 1 --messages 1000000 --modes thread
                """;
    }
}
