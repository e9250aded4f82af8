package io.waterdrop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a {@link Poller}.
 *
 * @param id 0 for the global Poller
 * @param threadName {@code waterdrop.poller#<id>}
 * @param alive whether its thread runs
 * @param producers names of the producers registered now
 * @param pollTimeout how long poll(2) waits before every producer gets a safety-net poll
 * @param wakeups times its own wake-up pipe fired (new registrations)
 * @param loopIterations poll(2) calls so far
 * @param lastLoopTime when the loop last returned from poll(2), or {@code null} if never
 * @param budgetExhaustions turns in which a producer used its whole max-time and was rotated out
 * @param periodicPolls polls of producers idle longer than their periodic-poll-interval while others were busy
 * @param timeoutPolls passes in which poll(2) timed out and every producer was polled
 * @param loopErrors failures of the loop (each reported to the producers and followed by a back-off)
 * @param threadStarts how many times a thread was started (it stops when idle and restarts on demand)
 * @param abnormalExits thread lives that ended abnormally (an {@link Error} in the loop); each is reported to the
 *     producers as {@code poller.restarted} (a new thread took them over) or {@code poller.stopped} (after 5 in a
 *     row the Poller gave up on them: see {@link PollingInfo#failure()})
 * @param restarts thread lives started to take over the producers of one that ended abnormally
 */
public record PollerStats(int id, String threadName, boolean alive, List<String> producers, Duration pollTimeout,
        long wakeups, long loopIterations, Instant lastLoopTime, long budgetExhaustions, long periodicPolls,
        long timeoutPolls, long loopErrors, long threadStarts, long abnormalExits, long restarts) {
}
