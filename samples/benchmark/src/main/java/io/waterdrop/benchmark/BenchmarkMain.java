package io.waterdrop.benchmark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The benchmark's entry point: parses the options, provides a broker (a child process unless
 * {@code --bootstrap-servers} is given), runs the scenario's warm-up and measured rounds with the clients
 * interleaved within every round, and prints Markdown tables; optionally writes the CSV and the chart. Progress goes to stderr, results to stdout.
 */
public final class BenchmarkMain {

    private static final Duration BROKER_START_TIMEOUT = Duration.ofMinutes(2);

    private final BenchmarkOptions options;
    private final PrintStream out;
    private final PrintStream progress;

    BenchmarkMain(BenchmarkOptions options, PrintStream out, PrintStream progress) {
        this.options = options;
        this.out = out;
        this.progress = progress;
    }

    public static void main(String[] args) {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchmarkOptions.usage());
            return;
        }
        try {
            new BenchmarkMain(options, System.out, System.err).run();
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** Runs the whole benchmark and returns every measured round. */
    List<RoundResult> run() throws Exception {
        if (options.cBinary() != null && !Files.isExecutable(options.cBinary())) {
            throw new UsageException("--c-binary " + options.cBinary() + " is not an executable file; build it with: "
                    + CBulkRunner.BUILD_COMMAND);
        }
        Environment env = Environment.current();
        String startedAt = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        progress.println("Machine: " + env.describe());
        ChildBroker child = null;
        boolean succeeded = false;
        try {
            String servers = options.bootstrapServers();
            if (options.startsBroker()) {
                progress.println("Starting a KRaft broker in a child process...");
                child = ChildBroker.start(BROKER_START_TIMEOUT);
                servers = child.bootstrapServers();
                progress.println("Broker " + servers + " (pid " + child.pid() + ", log " + child.log() + ")");
            }
            String topic = options.topic() != null ? options.topic()
                    : "waterdrop-benchmark-" + UUID.randomUUID().toString().substring(0, 8);
            createTopic(servers, topic, options.partitions());

            if (options.scenario() == Scenario.IDLE) {
                // Phases, not rounds: its table is printed by the runner itself.
                new IdleDisconnectRunner(servers, topic, options.kafka(), options.producers().get(0),
                        Duration.ofSeconds(options.idleSeconds()), progress).run(out);
                succeeded = true;
                return List.of();
            }
            ChildBroker broker = child;
            LongSupplier brokerCpu = () -> broker == null ? -1 : broker.cpuNanos();
            RoundRunner runner = new RoundRunner(options.scenario(), servers, topic, options.kafka(),
                    options.payloadBytes(), brokerCpu, Duration.ofSeconds(options.idleSeconds()), options.rate(),
                    options.metrics(), options.middleware(), options.batch());
            FirstMessageRunner firstMessage = new FirstMessageRunner(servers, topic, options.kafka(),
                    options.payloadBytes(), options.declareTopics(), progress);
            TransactionRunner transactions = new TransactionRunner(servers, topic, options.kafka(),
                    options.payloadBytes());
            CBulkRunner c = options.cBinary() == null ? null : new CBulkRunner(options.cBinary(), servers, topic,
                    options.kafka(), options.payloadBytes(), brokerCpu);
            List<RoundResult> results = new ArrayList<>();
            int total = options.warmupRounds() + options.rounds();
            for (int round = 1; round <= total; round++) {
                boolean warmup = round <= options.warmupRounds();
                int measured = round - options.warmupRounds();
                for (int p : options.producers()) {
                    for (Variant variant : options.variants()) {
                        RoundResult r;
                        if (options.scenario() == Scenario.TRANSACTION) {
                            r = transactions.run(variant, options.messages(), measured);
                        } else if (options.scenario() == Scenario.FIRST_MESSAGE) {
                            // Warming up needs a couple of fresh producers per client, not P.
                            r = firstMessage.run(variant, warmup ? Math.min(p, 2) : p, measured);
                        } else if (variant == Variant.C) {
                            r = c.run(options.messages(), measured);
                        } else {
                            r = runner.run(variant, p, options.messages(), measured);
                        }
                        progress.println(describe(r, warmup ? "warm-up " + round + "/" + options.warmupRounds()
                                : "round " + measured + "/" + options.rounds()));
                        if (!warmup) {
                            results.add(r);
                        }
                    }
                }
            }
            report(results, env, startedAt, servers, child != null);
            succeeded = true;
            return results;
        } finally {
            if (child != null) {
                child.close(!succeeded);
                if (!succeeded) {
                    progress.println("The broker's log is kept at " + child.log());
                }
            }
        }
    }

    private void report(List<RoundResult> results, Environment env, String startedAt, String servers,
            boolean childBroker) throws Exception {
        List<Summary> summaries = Summary.of(results);
        out.println();
        out.printf(Locale.ROOT, "WaterDrop benchmark, scenario %s, %s: %,d messages of %d bytes per producer, %d "
                        + "rounds (+%d warm-up), clients %s, broker %s.%n", options.scenario(), startedAt,
                options.messages(), options.payloadBytes(), options.rounds(), options.warmupRounds(),
                options.variants(), childBroker ? "in a child process (" + servers + ")" : servers);
        if (options.scenario() == Scenario.LATENCY) {
            out.printf(Locale.ROOT, "Total rate: %,d msg/s over every producer.%n", options.rate());
        }
        out.println("Machine: " + env.describe() + ".");
        out.println();
        out.print(MarkdownReport.render(options.scenario(), summaries));
        if (options.csv() != null) {
            CsvReport.write(options.csv(), results);
            progress.println("CSV: " + options.csv());
        }
        if (options.chart() != null) {
            BarChart.write(options.chart(), options.scenario(), summaries, "WaterDrop for the JVM: scenario "
                            + options.scenario(),
                    String.format(Locale.ROOT, "%,d x %d-byte messages per producer%s, median of %d rounds; %s",
                            options.messages(), options.payloadBytes(), options.scenario() == Scenario.LATENCY
                                    ? String.format(Locale.ROOT, " (%,d msg/s in total)", options.rate()) : "",
                            options.rounds(), env.brief()));
            progress.println("Chart: " + options.chart());
        }
    }

    private static String describe(RoundResult r, String label) {
        Latency l = r.latency();
        if (r.scenario() == Scenario.TRANSACTION) {
            return String.format(Locale.ROOT, "%-13s %-22s %d transactions of %d messages, transaction() -> commit "
                    + "returned ms: min %.1f median %.1f p99 %.1f max %.1f, cpu %.2f ms per transaction", label,
                    r.variant().label(), r.producers(), r.messages(), Latency.millis(l.minNanos()),
                    Latency.millis(l.p50Nanos()), Latency.millis(l.p99Nanos()), Latency.millis(l.maxNanos()),
                    r.cpuMillis() / r.producers());
        }
        if (r.scenario() == Scenario.FIRST_MESSAGE) {
            return String.format(Locale.ROOT, "%-13s %-22s %d fresh producers, connect -> first ack ms: min %.1f "
                    + "median %.1f max %.1f, cpu %.1f ms per producer", label, r.variant().label(), r.producers(),
                    Latency.millis(l.minNanos()), Latency.millis(l.p50Nanos()), Latency.millis(l.maxNanos()),
                    r.cpuMillis() / r.producers());
        }
        return String.format(Locale.ROOT,
                "%-13s P=%-4d %-22s %,10.0f msg/s  %9.1f ms  threads +%d (OS +%d)  cpu %,.0f ms (%.2f us/msg)"
                        + "  rss %+.1f MB  broker cpu %,.0f ms  ctx switches %d%s%s",
                label, r.producers(), r.variant().label(), r.msgsPerSec(), r.elapsedNanos() / 1e6,
                r.threadsAdded(), r.osThreadsAdded(), r.cpuMillis(), r.cpuMicrosPerMessage(), r.rssMegabytes(),
                r.brokerCpuMillis(), r.contextSwitches(),
                r.variant() == Variant.WATERDROP_FD ? "  poller iterations " + r.pollerIterations()
                        + ", budget exhaustions " + r.pollerBudgetExhaustions() : "",
                r.failedDeliveries() > 0 ? "  FAILED DELIVERIES " + r.failedDeliveries() : "")
                + (r.idle().nanos() > 0 ? String.format(Locale.ROOT, "  idle: cpu %.2f ms/s, %.0f context "
                        + "switches/s, polling threads %.2f ms/s", r.idle().cpuMillisPerSecond(),
                        r.idle().contextSwitchesPerSecond(), r.idle().pollingThreadsCpuMillisPerSecond()) : "")
                + (l.measured() ? String.format(Locale.ROOT, "  latency ms: min %.2f p50 %.2f p99 %.2f p99.9 %.2f "
                        + "max %.2f", Latency.millis(l.minNanos()), Latency.millis(l.p50Nanos()),
                        Latency.millis(l.p99Nanos()), Latency.millis(l.p999Nanos()), Latency.millis(l.maxNanos()))
                        : "");
    }

    private static void createTopic(String servers, String topic, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
