package io.waterdrop;

import java.util.Locale;

/**
 * Tells which librdkafka settings hold secrets, so that no log line, exception or endpoint ever shows their values.
 */
public final class Secrets {

    /** What a secret value is replaced with. */
    public static final String MASK = "******";

    private static final String[] SECRET_MARKERS = {
        "password", "secret", "sasl.jaas", "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key", "keystore",
        "token", "credential", "private"
    };

    private Secrets() {
    }

    /** Whether a librdkafka property name may hold a secret (passwords, keys, tokens, JAAS or OAuth configs). */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String marker : SECRET_MARKERS) {
            if (k.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** The value as it may be shown: masked when the key is secret. */
    public static String displayValue(String key, String value) {
        return isSecret(key) ? MASK : value;
    }
}
