package io.waterdrop.test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A small seeded generator for the property-based tests: weighted choices, strings from any part of Unicode
 * (unpaired surrogates and NUL included), byte arrays with their edge sizes. Every case gets its own seed, shown in
 * its name, so a failure is rerun exactly with {@code -Dwaterdrop.fuzz.seed=<base seed>}; without it each run draws a
 * new base seed, which is how a property test keeps finding new inputs.
 */
public final class RandomInputs {

    private final SplittableRandom random;

    public RandomInputs(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code cases} tests named with the base seed and the case number; each runs {@code body} with a generator of
     * its own, derived from the base seed.
     */
    public static Stream<DynamicTest> cases(int cases, ThrowingCase body) {
        String fixed = System.getProperty("waterdrop.fuzz.seed");
        long base = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        return IntStream.range(0, cases).mapToObj(i -> DynamicTest.dynamicTest(
                "case " + i + " of seed " + base, () -> body.run(new RandomInputs(base + i * 0x9E3779B97F4A7C15L))));
    }

    /** A test body that may throw. */
    @FunctionalInterface
    public interface ThrowingCase {
        void run(RandomInputs random) throws Throwable;
    }

    /** A weighted alternative for {@link #oneOf}. */
    public record Weighted<T>(int weight, Supplier<? extends T> value) {
    }

    public static <T> Weighted<T> weight(int weight, Supplier<? extends T> value) {
        return new Weighted<>(weight, value);
    }

    /** One of the alternatives, chosen in proportion to the weights. */
    @SafeVarargs
    public final <T> T oneOf(Weighted<? extends T>... alternatives) {
        int total = 0;
        for (Weighted<? extends T> w : alternatives) {
            total += w.weight();
        }
        int pick = random.nextInt(total);
        for (Weighted<? extends T> w : alternatives) {
            pick -= w.weight();
            if (pick < 0) {
                return w.value().get();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    @SafeVarargs
    public final <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    public int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    public long between(long min, long max) {
        return min + random.nextLong(max - min + 1);
    }

    public int anyInt() {
        return random.nextInt();
    }

    /** A string of {@code min..max} chars, each drawn from {@code from..to} (inclusive). */
    public String string(char from, char to, int min, int max) {
        int length = between(min, max);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) between(from, to));
        }
        return s.toString();
    }

    public String alpha(int min, int max) {
        StringBuilder s = new StringBuilder();
        int length = between(min, max);
        for (int i = 0; i < length; i++) {
            char c = (char) between('a', 'z');
            s.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return s.toString();
    }

    public String alphanumeric(int length) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }

    /** Any UTF-16 chars at all: NUL, control characters and unpaired surrogates included. */
    public String anyString(int min, int max) {
        return string('\u0000', '\uFFFF', min, max);
    }

    /** {@code size} pseudo-random bytes. */
    public byte[] bytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    /** Bytes of a size in {@code 0..max}, with the edges 0 and 1 drawn more often than chance would. */
    public byte[] bytesUpTo(int max) {
        return bytes(oneOf(weight(1, () -> 0), weight(1, () -> 1), weight(8, () -> between(0, max))));
    }

    /** {@code value} or, with {@code percent}% probability, null. */
    public <T> T orNull(int percent, Supplier<T> value) {
        return random.nextInt(100) < percent ? null : value.get();
    }

    public <T> List<T> listOf(int min, int max, Function<RandomInputs, T> element) {
        int size = between(min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(this));
        }
        return list;
    }
}
