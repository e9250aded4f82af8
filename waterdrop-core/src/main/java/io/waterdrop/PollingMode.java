package io.waterdrop;

import java.util.Locale;

/** How a producer's librdkafka queue is served. */
public enum PollingMode {

    /** One thread per producer blocked in rd_kafka_poll(timeout). */
    THREAD,

    /** The producer registers its pipe with a {@link Poller}; one thread serves many producers. */
    FD;

    /** Parses {@code thread} or {@code fd} (any case); anything else is a {@link ConfigurationException}. */
    public static PollingMode parse(String value) {
        if (value != null) {
            for (PollingMode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
        }
        throw new ConfigurationException("polling.mode",
                "polling.mode must be one of thread, fd but was '" + value + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
