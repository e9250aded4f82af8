package io.waterdrop.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that once killed the JVM with SIGSEGV/SIGABRT inside librdkafka (issue 7). Each runs in a forked JVM so that
 * a regression fails this test with the child's exit status and output instead of killing the test run.
 */
class NativeCrashTest {

    @TempDir
    Path workDir; // the child's working directory: an hs_err_pid file lands here, not in the module

    @Test
    void emptyPartitionKeyNeverCrashes() throws Exception {
        String topic = KafkaBroker.newTopic("crash-empty-pk");

        Forked run = fork("empty-partition-key", topic);

        assertThat(run.exitCode).as(run.output).isZero();
        // One partition: the random choice an empty key gets under consistent_random can only be partition 0.
        assertThat(run.output).contains("outcome: delivered to partition 0", "after: delivered at offset 2");
    }

    @Test
    void headersToAMissingPartitionNeverCrash() throws Exception {
        String topic = KafkaBroker.newTopic("crash-headers-partition");

        Forked run = fork("headers-to-missing-partition", topic);

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("outcome: ProduceException: Producer 'crash-headers-to-missing-partition' "
                + "could not deliver a message to topic '" + topic + "': _UNKNOWN_PARTITION (-190)",
                "after: delivered at offset 1");
    }

    @Test
    void aLongClientIdNeverCrashes() throws Exception {
        // The reported crash needs a 69-character topic next to a 239-character client.id.
        String unique = "crash-long-client-id-" + UUID.randomUUID();
        String topic = KafkaBroker.createTopic(unique + "x".repeat(69 - unique.length()), 1);

        Forked run = fork("long-client-id", topic);

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("outcome: delivered to partition 0", "after: delivered at offset 2");
    }

    private record Forked(int exitCode, String output) {
    }

    private Forked fork(String scenario, String topic) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashScenarioMain.class.getName(),
                scenario, KafkaBroker.bootstrapServers(), topic);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes(); // until the child exits and closes its end
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("forked JVM finished").isTrue();
        return new Forked(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
