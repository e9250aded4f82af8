package io.waterdrop.internal.client;

import io.waterdrop.KafkaError;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLayouts.MessageT;
import io.waterdrop.internal.nativelib.NativeLibraries;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One client's main queue, served through librdkafka's event API: delivery reports, errors, statistics and logs
 * come back from {@code rd_kafka_queue_poll} as events, read with downcalls only. Nothing here is a callback, so no
 * librdkafka call made elsewhere (flush, abort_transaction, commit_transaction) can run Java code: every report is
 * handled by whichever thread calls {@link #serve}, always one of ours.
 *
 * <p>Owned by the thread that serves it (thread mode's thread or a Poller thread); {@link #destroy} runs only after
 * that thread stopped. A delivery-report event whose messages were not all handled when the budget ran out is kept
 * (with the messages already moved into {@link #batch}) and finished first on the next turn: its messages stay
 * valid until {@code rd_kafka_event_destroy}, and librdkafka counts them in {@code rd_kafka_outq_len} until then,
 * so flush and close wait for them.
 */
final class MainQueue {

    /** How many message pointers one rd_kafka_event_message_array call moves out of an event. */
    private static final int BATCH = 256;
    /** Events served by one unbudgeted call at most, so a steady inflow cannot keep a thread-mode poll forever. */
    private static final int MAX_EVENTS_PER_SERVE = 1_000;

    private final LibRdKafka rd;
    private final Pointer queue;
    private final NativeEvents events;
    private final Pointer batch;

    /** A delivery-report event not finished yet, and where its messages stand in {@link #batch}. */
    private Pointer held;
    private int heldNext;
    private int heldCount;

    MainQueue(LibRdKafka rd, Pointer rk, NativeEvents events) {
        this.rd = rd;
        this.events = events;
        this.batch = Memory.allocateDirect(NativeLibraries.runtime(), (long) BATCH * Long.BYTES);
        DeliveryTimestamps.fromMemory(rd); // probed once per JVM, not on the first report
        this.queue = rd.rd_kafka_queue_get_main(rk); // last: nothing after it can fail and leak the reference
    }

    /** The queue handle, for io events and wake-ups. */
    Pointer handle() {
        return queue;
    }

    /**
     * Serves events: waits up to {@code timeoutMs} for the first, then takes what is queued. With a budget
     * ({@code deadlineNanos} != 0, {@link System#nanoTime()}), stops between messages and between events once it
     * passed, after at least one message; without one, serves up to {@value #MAX_EVENTS_PER_SERVE} events.
     *
     * @return how many messages and other events were handled
     */
    int serve(int timeoutMs, long deadlineNanos) {
        int served = 0;
        if (held != null) {
            served += deliver(deadlineNanos, 0);
            if (held != null) {
                return served;
            }
            timeoutMs = 0; // something was served: do not block after it
        }
        for (int event = 0; event < MAX_EVENTS_PER_SERVE; event++) {
            if (deadlineNanos != 0 && served > 0 && System.nanoTime() >= deadlineNanos) {
                return served;
            }
            Pointer ev = rd.rd_kafka_queue_poll(queue, event == 0 ? timeoutMs : 0);
            if (ev == null) {
                return served;
            }
            int type = rd.rd_kafka_event_type(ev);
            if (type == LibRdKafka.EVENT_DR) {
                held = ev;
                heldNext = 0;
                heldCount = 0;
                served += deliver(deadlineNanos, served);
                if (held != null) {
                    return served;
                }
            } else {
                try {
                    dispatch(ev, type);
                } finally {
                    rd.rd_kafka_event_destroy(ev);
                }
                served++;
            }
        }
        return served;
    }

    /**
     * Hands the held delivery-report event's messages to {@link NativeEvents#onDelivery}, batch by batch, and
     * destroys the event once it is empty. When the budget runs out first, the event stays held.
     */
    private int deliver(long deadlineNanos, int servedBefore) {
        int served = 0;
        while (true) {
            if (heldNext == heldCount) {
                heldCount = (int) rd.rd_kafka_event_message_array(held, batch, BATCH);
                heldNext = 0;
                if (heldCount == 0) {
                    rd.rd_kafka_event_destroy(held);
                    held = null;
                    return served;
                }
            }
            while (heldNext < heldCount) {
                if (deadlineNanos != 0 && servedBefore + served > 0 && System.nanoTime() >= deadlineNanos) {
                    return served;
                }
                Pointer message = batch.getPointer((long) heldNext++ * Long.BYTES);
                report(message);
                served++;
            }
        }
    }

    private void report(Pointer message) {
        try {
            events.onDelivery(MessageT.opaque(message), MessageT.err(message), MessageT.partition(message),
                    MessageT.offset(message), DeliveryTimestamps.of(rd, message));
        } catch (Throwable t) {
            failed("callbacks.delivery.error", t);
        }
    }

    private void dispatch(Pointer ev, int type) {
        try {
            switch (type) {
                // As an event, a fatal error carries the underlying code (librdkafka translates _FATAL for events);
                // report it as _FATAL, like the error callback did, so fatal handling sees it.
                case LibRdKafka.EVENT_ERROR -> events.onError(rd.rd_kafka_event_error_is_fatal(ev) != 0
                        ? KafkaError.FATAL : rd.rd_kafka_event_error(ev), rd.rd_kafka_event_error_string(ev));
                case LibRdKafka.EVENT_STATS -> events.onStatistics(rd.rd_kafka_event_stats(ev));
                case LibRdKafka.EVENT_LOG -> {
                    Pointer[] facility = new Pointer[1];
                    Pointer[] text = new Pointer[1];
                    int[] level = new int[1];
                    if (rd.rd_kafka_event_log(ev, facility, text, level) == 0) {
                        events.onLog(level[0], facility[0] == null ? "" : facility[0].getString(0),
                                text[0] == null ? "" : text[0].getString(0));
                    }
                }
                default -> {
                    // No other event type is enabled for a producer; nothing to hand on.
                }
            }
        } catch (Throwable t) {
            failed(switch (type) {
                case LibRdKafka.EVENT_ERROR -> "callbacks.error.error";
                case LibRdKafka.EVENT_STATS -> "callbacks.statistics.error";
                default -> "callbacks.log.error";
            }, t);
        }
    }

    private void failed(String type, Throwable t) {
        try {
            events.onCallbackFailure(type, t);
        } catch (Throwable ignored) {
            // The serving loop must go on; the failure was already as loud as it can be.
        }
    }

    /** Frees a held event and the queue handle; called once, after the serving thread stopped, before rd_kafka_destroy. */
    void destroy() {
        if (held != null) {
            rd.rd_kafka_event_destroy(held);
            held = null;
        }
        rd.rd_kafka_queue_destroy(queue);
    }
}
