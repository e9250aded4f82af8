package io.waterdrop.internal.nativelib;

import io.waterdrop.LibraryUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * Loads librdkafka and libc once, on first use, and remembers why loading failed so every later call fails with the
 * same clear message instead of a jnr-ffi proxy error deep inside a produce.
 */
public final class NativeLibraries {

    /** System property that points at a librdkafka shared library file. */
    public static final String PATH_PROPERTY = "waterdrop.librdkafka.path";
    /** Environment variable that points at a librdkafka shared library file. */
    public static final String PATH_ENV = "WATERDROP_LIBRDKAFKA_PATH";
    /** librdkafka 2.0.0 as rd_kafka_version() encodes it (0xMMmmrrxx). */
    static final int MINIMUM_VERSION = 0x02000000;

    private static volatile Loaded loaded;
    private static volatile LibRdKafkaMock mock;
    private static volatile LibraryUnavailableException failure;

    private NativeLibraries() {
    }

    public static LibRdKafka rdkafka() {
        return load().rdkafka;
    }

    public static LibC libc() {
        return load().libc;
    }

    public static Runtime runtime() {
        return load().runtime;
    }

    /** librdkafka's mock cluster API, from the same library file; for fault-injection tests only. */
    public static LibRdKafkaMock mock() {
        LibRdKafkaMock current = mock;
        if (current == null) {
            synchronized (NativeLibraries.class) {
                if (mock == null) {
                    mock = LibraryLoader.create(LibRdKafkaMock.class).failImmediately().load(load().path);
                }
                current = mock;
            }
        }
        return current;
    }

    /** The loaded librdkafka's version string, e.g. "2.0.2". */
    public static String librdkafkaVersion() {
        return load().version;
    }

    /** Whether librdkafka can be loaded; never throws. */
    public static boolean isAvailable() {
        try {
            load();
            return true;
        } catch (LibraryUnavailableException e) {
            return false;
        }
    }

    private static Loaded load() {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        synchronized (NativeLibraries.class) { // one-time initialisation, never around a wait
            if (loaded != null) {
                return loaded;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                loaded = doLoad();
                return loaded;
            } catch (LibraryUnavailableException e) {
                failure = e;
                throw e;
            }
        }
    }

    private static Loaded doLoad() {
        String override = System.getProperty(PATH_PROPERTY);
        String source = "system property " + PATH_PROPERTY;
        if (override == null || override.isBlank()) {
            override = System.getenv(PATH_ENV);
            source = "environment variable " + PATH_ENV;
        }
        List<String> candidates = new ArrayList<>();
        if (override != null && !override.isBlank()) {
            if (!Files.isRegularFile(Path.of(override))) {
                throw unavailable("the file " + override + " named by the " + source + " does not exist", null);
            }
            candidates.add(override);
        } else {
            candidates.addAll(defaultCandidates());
        }
        LibRdKafka rdkafka = null;
        String path = null;
        Throwable lastError = null;
        for (String candidate : candidates) {
            try {
                rdkafka = LibraryLoader.create(LibRdKafka.class).failImmediately().load(candidate);
                path = candidate;
                break;
            } catch (LinkageError | RuntimeException e) {
                lastError = e;
            }
        }
        if (rdkafka == null) {
            if (deniedUnsafe(lastError)) {
                throw new LibraryUnavailableException("librdkafka 2.x is required but this JVM denies sun.misc.Unsafe"
                        + " memory access (--sun-misc-unsafe-memory-access=deny), which jffi (under jnr-ffi) uses by"
                        + " default. Run with -Djffi.unsafe.disabled=true (jffi then uses JNI instead) or with"
                        + " --sun-misc-unsafe-memory-access=allow.", lastError);
            }
            throw unavailable("it could not be loaded (tried " + String.join(", ", candidates) + ")", lastError);
        }
        int version = rdkafka.rd_kafka_version();
        String versionString = rdkafka.rd_kafka_version_str();
        if (Integer.compareUnsigned(version, MINIMUM_VERSION) < 0) {
            throw unavailable("version " + versionString + " was found but 2.0.0 or newer is required", null);
        }
        LibC libc = LibraryLoader.create(LibC.class).failImmediately().load(Platform.getNativePlatform().getStandardCLibraryName());
        return new Loaded(rdkafka, libc, Runtime.getRuntime(rdkafka), versionString, path);
    }

    /**
     * Whether loading failed because the JVM refuses jffi's sun.misc.Unsafe memory access (Java 23+ with
     * {@code --sun-misc-unsafe-memory-access=deny}, a future default): the library is fine, the JVM flags are not.
     */
    private static boolean deniedUnsafe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    if (frame.getClassName().startsWith("sun.misc.Unsafe")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> defaultCandidates() {
        if (Platform.getNativePlatform().getOS() == Platform.OS.DARWIN) {
            return List.of("/opt/homebrew/lib/librdkafka.dylib", "/usr/local/lib/librdkafka.dylib", "rdkafka");
        }
        // Debian's runtime package ships only the versioned name; the unversioned symlink comes with -dev.
        return List.of("librdkafka.so.1", "rdkafka");
    }

    private static LibraryUnavailableException unavailable(String why, Throwable cause) {
        String message = "librdkafka 2.x is required but " + why + ". Install it (Debian/Ubuntu: "
                + "'apt-get install librdkafka1', macOS: 'brew install librdkafka') or point the system property "
                + PATH_PROPERTY + " or the environment variable " + PATH_ENV + " at the library file.";
        return new LibraryUnavailableException(message, cause);
    }

    private record Loaded(LibRdKafka rdkafka, LibC libc, Runtime runtime, String version, String path) {
    }
}
