package io.waterdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.waterdrop.internal.nativelib.NativeLibraries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading librdkafka: the version in this JVM, and in forked JVMs what a user sees when the library is missing or
 * the override points at the wrong file (a JVM loads librdkafka once, so each case needs its own JVM).
 */
class NativeLibraryLoadingTest {

    private static final String INSTALL_HINT = "Install it (Debian/Ubuntu: 'apt-get install librdkafka1', macOS: "
            + "'brew install librdkafka') or point the system property waterdrop.librdkafka.path or the environment "
            + "variable WATERDROP_LIBRDKAFKA_PATH at the library file.";

    @Test
    void loadedLibrdkafkaIsVersionTwo() {
        assertThat(NativeLibraries.isAvailable()).isTrue();
        assertThat(Producer.librdkafkaVersion()).startsWith("2.").matches("2\\.[0-9]+\\.[0-9]+.*");
    }

    @Test
    void missingFileNamedByThePropertyFailsWithTheInstallHint() throws Exception {
        Forked run = fork(List.of("-Dwaterdrop.librdkafka.path=/nonexistent/librdkafka.so.1"), Map.of());

        String expected = "librdkafka 2.x is required but the file /nonexistent/librdkafka.so.1 named by the system "
                + "property waterdrop.librdkafka.path does not exist. " + INSTALL_HINT;
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.output)
                .contains("attempt 1: " + expected)
                // The second attempt fails the same way (the cause is remembered), here uncaught as an app sees it.
                .contains("Exception in thread \"main\" io.waterdrop.LibraryUnavailableException: " + expected)
                .contains("apt-get install librdkafka1", "brew install librdkafka", "waterdrop.librdkafka.path")
                .doesNotContain("librdkafka 2.0");
    }

    @Test
    void missingFileNamedByTheEnvironmentVariableFailsWithTheInstallHint() throws Exception {
        Forked run = fork(List.of(), Map.of("WATERDROP_LIBRDKAFKA_PATH", "/nonexistent/env/librdkafka.so.1"));

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.output).contains("attempt 1: librdkafka 2.x is required but the file "
                + "/nonexistent/env/librdkafka.so.1 named by the environment variable WATERDROP_LIBRDKAFKA_PATH "
                + "does not exist. " + INSTALL_HINT);
    }

    @Test
    void fileThatIsNotALibraryFailsWithTheInstallHint(@TempDir Path dir) throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("librdkafka.so.1"), "not an ELF file");

        Forked run = fork(List.of("-Dwaterdrop.librdkafka.path=" + notALibrary), Map.of());

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.output).contains("attempt 1: librdkafka 2.x is required but it could not be loaded (tried "
                + notALibrary + "). " + INSTALL_HINT);
    }

    @Test
    void propertyPointingAtARealLibrdkafkaIsUsed() throws Exception {
        Producer.librdkafkaVersion(); // make sure this JVM mapped it, then find which file it is
        Path loaded = loadedLibrdkafkaFile();
        assumeThat(loaded).as("the mapped librdkafka file (read from /proc/self/maps, Linux only)").isNotNull();

        Forked run = fork(List.of("-Dwaterdrop.librdkafka.path=" + loaded), Map.of());

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("librdkafka " + Producer.librdkafkaVersion()).doesNotContain("attempt 1");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_23, disabledReason = "--sun-misc-unsafe-memory-access exists from Java 23 on")
    void deniedUnsafeMemoryAccessIsNamedWithItsWorkaround() throws Exception {
        Forked denied = fork(List.of("--sun-misc-unsafe-memory-access=deny"), Map.of());

        assertThat(denied.exitCode).isEqualTo(1);
        assertThat(denied.output).contains("attempt 1: librdkafka 2.x is required but this JVM denies"
                + " sun.misc.Unsafe memory access (--sun-misc-unsafe-memory-access=deny), which jffi (under jnr-ffi)"
                + " uses by default. Run with -Djffi.unsafe.disabled=true (jffi then uses JNI instead)")
                .doesNotContain("apt-get install librdkafka1");

        Forked workaround = fork(List.of("--sun-misc-unsafe-memory-access=deny", "-Djffi.unsafe.disabled=true"),
                Map.of());
        assertThat(workaround.exitCode).as(workaround.output).isZero();
        assertThat(workaround.output).contains("librdkafka " + Producer.librdkafkaVersion());
    }

    private static Path loadedLibrdkafkaFile() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return null;
        }
        return Files.readAllLines(maps).stream()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .filter(path -> path.contains("librdkafka.so"))
                .map(Path::of)
                .findFirst().orElse(null);
    }

    private record Forked(int exitCode, String output) {
    }

    private static Forked fork(List<String> jvmOptions, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ProducerBuildingMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("WATERDROP_LIBRDKAFKA_PATH");
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes(); // until the child exits and closes its end
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("forked JVM finished").isTrue();
        return new Forked(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
