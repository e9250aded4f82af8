package io.waterdrop.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.common.utils.Time;

/**
 * The child side of {@link BrokerProcess}: one combined KRaft broker/controller configured by the properties file
 * named in {@code args[0]}. The log directory is formatted on the first start only, so a restart finds the same
 * cluster, topics and records. Prints {@value #READY} on stdout once it accepts connections, and runs until its stdin
 * closes (the parent stops it, or died).
 */
public final class BrokerProcessMain {

    /** The line the parent waits for. */
    public static final String READY = "WATERDROP_BROKER_READY";

    private BrokerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(config)) {
            props.load(in);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int status = StorageTool$.MODULE$.execute(new String[] {"format", "-t",
                    props.getProperty(BrokerProcess.CLUSTER_ID_PROPERTY), "-c", config.toString()}, System.err);
            if (status != 0) {
                throw new IllegalStateException("formatting " + logDir + " failed with status " + status);
            }
        }
        props.remove(BrokerProcess.CLUSTER_ID_PROPERTY);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        int status = 1;
        try {
            server.startup();
            PrintStream out = System.out;
            out.println(READY);
            out.flush();
            awaitEndOfInput(System.in);
            server.shutdown();
            server.awaitShutdown();
            status = 0;
        } finally {
            // Kafka leaves non-daemon threads behind after a failed start: exit explicitly.
            Runtime.getRuntime().halt(status);
        }
    }

    private static void awaitEndOfInput(InputStream in) {
        try {
            while (in.read() != -1) {
                // Nothing is ever sent; end of input is the stop signal.
            }
        } catch (IOException closed) {
            // A broken stdin means the parent is gone: stop as well.
        }
    }
}
