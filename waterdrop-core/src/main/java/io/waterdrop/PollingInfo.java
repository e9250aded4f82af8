package io.waterdrop;

import java.time.Duration;

/**
 * How a producer is polled.
 *
 * @param mode thread or fd
 * @param threadName the thread that runs its callbacks ({@code waterdrop.native_kafka#<name>} or
 *     {@code waterdrop.poller#<id>})
 * @param pollerId the Poller id in fd mode, -1 in thread mode
 * @param maxTime the fd budget per turn ({@code null} in thread mode)
 * @param periodicPollInterval the fd periodic poll interval ({@code null} in thread mode)
 * @param pollTimeout the thread-mode poll timeout ({@code null} in fd mode)
 */
public record PollingInfo(PollingMode mode, String threadName, int pollerId, Duration maxTime,
        Duration periodicPollInterval, Duration pollTimeout) {
}
