package io.waterdrop.benchmark;

import io.waterdrop.Producer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine and versions a result belongs to, printed with every run. */
record Environment(int cpus, String cpuModel, long memoryMegabytes, String jdk, String os, String librdkafka) {

    static Environment current() {
        return new Environment(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryMegabytes(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Producer.librdkafkaVersion());
    }

    String describe() {
        return String.format(Locale.ROOT, "%d CPUs (%s), %,d MB RAM, %s, %s, librdkafka %s", cpus, cpuModel,
                memoryMegabytes, jdk, os, librdkafka);
    }

    /** One line for a chart: CPUs, JDK and librdkafka. */
    String brief() {
        return String.format(Locale.ROOT, "%d CPUs (%s), JDK %s, librdkafka %s", cpus, cpuModel,
                System.getProperty("java.specification.version") + " (" + System.getProperty("java.runtime.version")
                        + ")", librdkafka);
    }

    private static String readCpuModel() {
        return procField("/proc/cpuinfo", "model name", ":").orElse("unknown CPU");
    }

    private static long readMemoryMegabytes() {
        return procField("/proc/meminfo", "MemTotal", ":")
                .map(v -> Long.parseLong(v.split("\\s+")[0]) / 1024)
                .orElse(Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    private static java.util.Optional<String> procField(String file, String key, String separator) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(separator) + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
