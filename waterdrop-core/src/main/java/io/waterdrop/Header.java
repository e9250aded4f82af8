package io.waterdrop;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One Kafka record header. A message may carry several headers with the same key; their order is kept.
 *
 * <p>A {@code null} value arrives as a header without a value, an empty array as an empty value.
 *
 * @param key the header name: not null, not empty, no NUL character (librdkafka reads header names as C strings),
 *     no unpaired surrogate (it has no UTF-8 form)
 * @param value the raw bytes, or {@code null} for a header without a value
 * @throws InvalidMessageException (field {@code headers}) when the name breaks those rules
 */
public record Header(String key, byte[] value) {

    public Header {
        if (key == null) {
            throw new InvalidMessageException("headers", "contain a header with a null name; give every header a "
                    + "name");
        }
        if (key.isEmpty()) {
            throw new InvalidMessageException("headers", "contain an empty header name; give every header a name");
        }
        if (!isWellFormed(key)) {
            throw new InvalidMessageException("headers", "contain a header name with an unpaired surrogate "
                    + "character, which has no UTF-8 form (it would arrive as '?'); fix the name");
        }
        if (key.indexOf('\0') >= 0) {
            throw new InvalidMessageException("headers", "contain the header name '" + key.replace("\0", "\\u0000")
                    + "' with a NUL character (\\u0000), which librdkafka would cut the name at; remove it");
        }
    }

    /** Whether every surrogate is part of a pair, so the name survives UTF-8 unchanged. */
    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public static Header of(String key, String value) {
        return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value decoded as UTF-8, or {@code null}. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + (value == null ? "null" : value.length + " bytes");
    }
}
