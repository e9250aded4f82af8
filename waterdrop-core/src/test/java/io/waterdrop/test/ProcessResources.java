package io.waterdrop.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What this process holds right now, read from Linux's {@code /proc/self}: open file descriptors, OS threads (native
 * ones included) and resident memory.
 *
 * @param openFds entries of /proc/self/fd
 * @param threads {@code Threads:} of /proc/self/status
 * @param rssKb {@code VmRSS:} of /proc/self/status, in KB
 */
public record ProcessResources(int openFds, int threads, long rssKb) {

    public static ProcessResources now() {
        String[] fds = Objects.requireNonNull(new File("/proc/self/fd").list(), "/proc/self/fd is not readable");
        return new ProcessResources(fds.length, (int) statusField("Threads:"), statusField("VmRSS:"));
    }

    /** A numeric field of /proc/self/status, e.g. {@code VmRSS:} (in KB) or {@code Threads:}. */
    public static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
