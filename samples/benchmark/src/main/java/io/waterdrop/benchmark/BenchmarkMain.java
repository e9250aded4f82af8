package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;
import java.io.PrintStream;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The benchmark's entry point: parses the options, provides a broker (a child process unless
 * {@code --bootstrap-servers} is given), runs warm-up and measured rounds with the modes interleaved, and prints a
 * Markdown table; optionally writes the CSV and the chart. Progress goes to stderr, results to stdout.
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
        } catch (Exception e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** Runs the whole benchmark and returns every measured round. */
    List<RoundResult> run() throws Exception {
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

            ChildBroker broker = child;
            RoundRunner runner = new RoundRunner(servers, topic, options.kafka(), options.payloadBytes(),
                    () -> broker == null ? -1 : broker.cpuNanos(), Duration.ofSeconds(options.idleSeconds()),
                    options.metrics());
            List<RoundResult> results = new ArrayList<>();
            int total = options.warmupRounds() + options.rounds();
            for (int round = 1; round <= total; round++) {
                boolean warmup = round <= options.warmupRounds();
                int measured = round - options.warmupRounds();
                for (int p : options.producers()) {
                    for (PollingMode mode : options.modes()) {
                        RoundResult r = runner.run(mode, p, options.messages(), measured);
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
        out.printf(Locale.ROOT, "WaterDrop benchmark, %s: %,d messages of %d bytes per producer, %d rounds (+%d "
                        + "warm-up), modes %s, broker %s.%n", startedAt, options.messages(), options.payloadBytes(),
                options.rounds(), options.warmupRounds(), options.modes(),
                childBroker ? "in a child process (" + servers + ")" : servers);
        out.println("Machine: " + env.describe() + ".");
        out.println();
        out.print(MarkdownReport.render(summaries));
        if (options.csv() != null) {
            CsvReport.write(options.csv(), results);
            progress.println("CSV: " + options.csv());
        }
        if (options.chart() != null) {
            BarChart.write(options.chart(), summaries, "WaterDrop for the JVM: thread vs fd polling",
                    String.format(Locale.ROOT, "%,d x %d-byte messages per producer, median of %d rounds; %s",
                            options.messages(), options.payloadBytes(), options.rounds(), env.brief()));
            progress.println("Chart: " + options.chart());
        }
    }

    private static String describe(RoundResult r, String label) {
        return String.format(Locale.ROOT,
                "%-13s P=%-3d %-6s %,10.0f msg/s  %7.1f ms  threads +%d (OS +%d)  cpu %,.0f ms (%.2f us/msg)"
                        + "  rss %+.1f MB  broker cpu %,.0f ms  ctx switches %d%s%s",
                label, r.producers(), r.mode(), r.msgsPerSec(), r.elapsedNanos() / 1e6, r.threadsAdded(),
                r.osThreadsAdded(), r.cpuMillis(), r.cpuMicrosPerMessage(), r.rssMegabytes(), r.brokerCpuMillis(),
                r.contextSwitches(),
                r.mode() == PollingMode.FD ? "  poller iterations " + r.pollerIterations() + ", budget exhaustions "
                        + r.pollerBudgetExhaustions() : "",
                r.failedDeliveries() > 0 ? "  FAILED DELIVERIES " + r.failedDeliveries() : "")
                + (r.idleNanos() > 0 ? String.format(Locale.ROOT, "  idle: cpu %.2f ms/s, %.0f context switches/s",
                        r.idleCpuMillisPerSecond(), r.idleContextSwitchesPerSecond()) : "");
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
