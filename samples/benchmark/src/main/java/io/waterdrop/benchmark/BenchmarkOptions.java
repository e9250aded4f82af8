package io.waterdrop.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What to run, parsed from the command line. Every flag takes {@code --flag value} or {@code --flag=value}; what
 * is not given takes the scenario's default.
 *
 * @param scenario the workload
 * @param bootstrapServers an existing broker, or {@code null} to start one in a child process
 * @param producers the producer counts P to run, in order (first-message: fresh producers per variant)
 * @param messages messages per producer (M)
 * @param payloadBytes payload size of every message (B)
 * @param rounds measured rounds per (variant, P)
 * @param warmupRounds unrecorded rounds before the measured ones
 * @param idleSeconds after producing, how long to leave the producers idle while measuring what idling costs
 *     (CPU, context switches, polling threads' CPU); 0 skips it
 * @param variants the clients and modes, run interleaved in this order within every round
 * @param cBinary the built {@code rdkafka_bulk} program, or {@code null}
 * @param rate total messages per second over all producers in the latency scenario
 * @param topic the topic to produce to, or {@code null} for a fresh one
 * @param partitions partitions of a topic the benchmark creates
 * @param kafka extra librdkafka properties for every producer ({@code acks} and {@code linger.ms} also apply to
 *     kafka-clients)
 * @param csv where to write one row per measured round, or {@code null}
 * @param chart where to write the PNG bar chart, or {@code null}
 * @param metrics whether every WaterDrop producer's Micrometer meters are bound (to a SimpleMeterRegistry)
 * @param declareTopics first-message: whether each WaterDrop producer declares the topic up front
 *     ({@code ProducerConfig.topics}), so connect fetches its metadata
 * @param middleware how many no-op middlewares every WaterDrop producer runs (0: an empty chain)
 * @param batch unpaced scenarios: messages per produceManyAsync call (1: one produceAsync per message)
 * @param help whether only the usage was asked for
 */
public record BenchmarkOptions(Scenario scenario, String bootstrapServers, List<Integer> producers, int messages,
        int payloadBytes, int rounds, int warmupRounds, int idleSeconds, List<Variant> variants, Path cBinary,
        int rate, String topic, int partitions, Map<String, String> kafka, Path csv, Path chart, boolean metrics,
        boolean declareTopics, int middleware, int batch, boolean help) {

    public static final int DEFAULT_RATE = 10_000;

    public BenchmarkOptions {
        producers = List.copyOf(producers);
        variants = List.copyOf(variants);
        kafka = Map.copyOf(kafka);
    }

    /** The defaults: the seed's table plus P = 100, WaterDrop in both modes and kafka-clients both ways. */
    public static BenchmarkOptions defaults() {
        return parse();
    }

    /** Whether the benchmark starts its own broker in a child process. */
    public boolean startsBroker() {
        return bootstrapServers == null;
    }

    /**
     * Parses the command line.
     *
     * @throws UsageException naming the flag when an argument is unknown, missing its value, invalid, or does not
     *     fit the scenario
     */
    public static BenchmarkOptions parse(String... args) {
        Scenario scenario = Scenario.SEED;
        String bootstrap = null;
        List<Integer> producers = null;
        Integer messages = null;
        int payloadBytes = 100;
        Integer rounds = null;
        Integer warmup = null;
        Integer idle = null;
        List<String> clients = null;
        List<String> modes = null;
        List<String> kafkaClientsSettings = null;
        Path cBinary = null;
        int rate = DEFAULT_RATE;
        String topic = null;
        int partitions = 1;
        Map<String, String> kafka = new LinkedHashMap<>();
        Path csv = null;
        Path chart = null;
        boolean metrics = false;
        boolean declareTopics = false;
        int middleware = 0;
        int batch = 1;
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
                case "--scenario" -> scenario = scenario(flag, value);
                case "--bootstrap-servers" -> bootstrap = nonBlank(flag, value);
                case "--producers" -> producers = positiveList(flag, value);
                case "--messages" -> messages = positive(flag, value);
                case "--payload-bytes" -> payloadBytes = positive(flag, value);
                case "--rounds" -> rounds = positive(flag, value);
                case "--warmup-rounds" -> warmup = atLeastZero(flag, value);
                case "--idle-seconds" -> idle = atLeastZero(flag, value);
                case "--client" -> clients = words(flag, value, List.of("waterdrop", "kafka-clients", "c"));
                case "--modes" -> modes = words(flag, value, List.of("thread", "fd"));
                case "--kafka-clients-settings" -> kafkaClientsSettings = words(flag, value,
                        List.of("default", "tuned"));
                case "--c-binary" -> cBinary = Path.of(nonBlank(flag, value));
                case "--rate" -> rate = positive(flag, value);
                case "--topic" -> topic = nonBlank(flag, value);
                case "--partitions" -> partitions = positive(flag, value);
                case "--kafka" -> kafkaProperty(flag, value, kafka);
                case "--csv" -> csv = Path.of(nonBlank(flag, value));
                case "--chart" -> chart = chartPath(flag, value);
                case "--metrics" -> metrics = onOff(flag, value);
                case "--declare-topics" -> declareTopics = onOff(flag, value);
                case "--middleware" -> middleware = atLeastZero(flag, value);
                case "--batch" -> batch = positive(flag, value);
                default -> throw new UsageException("Unknown option " + flag + "; see --help");
            }
        }
        List<Integer> ps = producers != null ? producers : scenario.defaultProducers();
        List<Variant> variants = variants(scenario, clients, modes, kafkaClientsSettings, cBinary, ps);
        return new BenchmarkOptions(scenario, bootstrap, ps,
                messages != null ? messages : scenario.defaultMessages(), payloadBytes,
                rounds != null ? rounds : scenario.defaultRounds(),
                warmup != null ? warmup : scenario.defaultWarmupRounds(),
                idle != null ? idle : scenario.defaultIdleSeconds(), variants, cBinary, rate, topic, partitions,
                kafka, csv, chart, metrics, declareTopics, middleware, batch, help);
    }

    /** Expands clients into variants: WaterDrop per mode, kafka-clients per settings, then C. */
    private static List<Variant> variants(Scenario scenario, List<String> clients, List<String> modes,
            List<String> kafkaClientsSettings, Path cBinary, List<Integer> producers) {
        if (clients == null) {
            clients = new ArrayList<>(new java.util.LinkedHashSet<>(scenario.defaultVariants().stream()
                    .map(Variant::client).toList()));
            if (scenario == Scenario.BULK && cBinary != null) {
                clients.add("c");
            }
        }
        if (modes == null) {
            modes = scenario.defaultVariants().stream().filter(Variant::isWaterDrop).map(Variant::mode).toList();
        }
        List<Variant> variants = new ArrayList<>();
        for (String client : clients) {
            switch (client) {
                case "waterdrop" -> modes.forEach(m -> variants.add(Variant.of("waterdrop", m)));
                case "kafka-clients" -> {
                    if (scenario == Scenario.TRANSACTION) {
                        throw new UsageException("--scenario transaction runs WaterDrop only; use --client waterdrop");
                    }
                    (kafkaClientsSettings != null ? kafkaClientsSettings
                        : List.of("default", "tuned")).forEach(s -> variants.add(Variant.of("kafka-clients", s)));
                }
                default -> {
                    if (cBinary == null) {
                        throw new UsageException("--client c needs --c-binary PATH, the built C program (build it "
                                + "with: " + CBulkRunner.BUILD_COMMAND + ")");
                    }
                    if (scenario != Scenario.BULK) {
                        throw new UsageException("--client c runs the bulk scenario only, not --scenario "
                                + scenario.label());
                    }
                    if (!producers.equals(List.of(1))) {
                        throw new UsageException("--client c runs one producer; use --producers 1, not "
                                + producers);
                    }
                    variants.add(Variant.C);
                }
            }
        }
        return variants;
    }

    private static Scenario scenario(String flag, String value) {
        Scenario s = Scenario.of(value.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new UsageException(flag + " accepts seed, bulk, latency, many, first-message or transaction but got '"
                    + value.trim() + "'");
        }
        return s;
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

    /** A comma-separated list of distinct words from {@code allowed}, in the given order. */
    private static List<String> words(String flag, String value, List<String> allowed) {
        List<String> list = new ArrayList<>();
        for (String part : value.split(",")) {
            String word = part.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(word)) {
                throw new UsageException(flag + " accepts " + String.join(", ", allowed)
                        + " (comma-separated) but got '" + part.trim() + "'");
            }
            if (list.contains(word)) {
                throw new UsageException(flag + " lists " + word + " twice");
            }
            list.add(word);
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
        if (!v.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException(flag + " writes a PNG; give a file name ending in .png, not '" + v + "'");
        }
        return Path.of(v);
    }

    /** The text of {@code --help}. */
    public static String usage() {
        return """
                Usage: java -jar waterdrop-benchmark.jar [--scenario NAME] [options]

                Runs one scenario with several clients, interleaved within every round (waterdrop thread,
                waterdrop fd, kafka-clients default, kafka-clients tuned, c) after warm-up, and reports the
                median and min/max per (client, P) with JVM and OS threads added, process CPU per message and
                RSS growth. Without --bootstrap-servers a KRaft broker is started in a child process, so CPU,
                threads and memory measure the client alone.

                Scenarios (defaults in brackets; every option below overrides them):
                  seed           P producers, one application thread each, M async messages per producer
                                 [P 1,2,5,10,25,100; M 1000; 5 rounds]
                  bulk           one producer, M async messages [M 1000000; 5 rounds]; --c-binary adds C
                  latency        P producers at --rate messages/s in total; produce->ack p50/p99/p99.9
                                 [P 25; M 1000 each; rate 10000; 5 rounds]
                  many           P fd producers on the global Poller, 10 application threads, then idle:
                                 process and Poller-thread CPU [P 1000; M 100; 3 rounds; idle 5 s; fd only]
                  first-message  P fresh producers one after the other, each timed from connect to its first
                                 acknowledged message [P 20; 1 round]
                  transaction    one transactional producer, 50 transactions of M async messages, each
                                 timed until its commit returned [M 10; 3 rounds; WaterDrop only]
                  idle           P fd producers on one Poller with idle-disconnect-timeout 3 x W; OS and
                                 librdkafka threads, sockets, CPU over W s: idle, all disconnected, all
                                 reconnected [P 1000; W = --idle-seconds 5; fd only]

                Options:
                  --scenario NAME                seed, bulk, latency, many, first-message, transaction or
                                                 idle (default seed)
                  --client LIST                  waterdrop, kafka-clients, c (comma-separated, in run order;
                                                 default waterdrop,kafka-clients; many: waterdrop)
                  --modes LIST                   WaterDrop's modes: thread, fd (default thread,fd; many: fd)
                  --kafka-clients-settings LIST  default, tuned (default both)
                  --c-binary PATH                the built C program (bulk only; build it with
                                                 gcc -O2 -Wall -o samples/benchmark/target/rdkafka_bulk
                                                     samples/benchmark/src/main/c/rdkafka_bulk.c -lrdkafka)
                  --bootstrap-servers HOST:PORT  use this broker instead of starting one
                  --producers LIST               producer counts, comma-separated
                  --messages M                   messages per producer
                  --payload-bytes B              payload size in bytes (default 100)
                  --rate N                       latency: total messages per second (default 10000)
                  --rounds R                     measured rounds per (client, P)
                  --warmup-rounds W              unrecorded rounds first (default 1)
                  --idle-seconds S               then leave the producers idle S seconds and measure CPU
                                                 and context switches per second (0: skip)
                  --topic NAME                   topic to use (default: a new one per run)
                  --partitions N                 partitions of the topic the benchmark creates (default 1)
                  --kafka KEY=VALUE              extra librdkafka property for every producer (repeatable);
                                                 acks and linger.ms apply to kafka-clients too
                  --csv FILE                     write one row per measured round
                  --chart FILE.png               write a bar chart of the medians
                  --metrics on|off               bind every WaterDrop producer's Micrometer meters while it
                                                 runs (default off), to measure what metrics cost
                  --middleware N                 every WaterDrop producer runs N no-op middlewares (default 0),
                                                 to measure what the chain costs
                  --batch N                      unpaced scenarios: WaterDrop sends with produceManyAsync, N
                                                 messages a call (default 1: produceAsync per message)
                  --declare-topics on|off        first-message: WaterDrop producers declare the topic up front
                                                 (ProducerConfig.topics; default off)
                  --help                         show this text

                Example (one producer, WaterDrop against kafka-clients and C):
                  java -jar waterdrop-benchmark.jar --scenario bulk --c-binary samples/benchmark/target/rdkafka_bulk
                """;
    }
}
