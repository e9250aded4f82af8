package io.waterdrop.internal.client;

import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLayouts.MessageT;
import io.waterdrop.internal.nativelib.NativeLayouts.MsgT;
import io.waterdrop.internal.nativelib.NativeLibraries;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A delivery report's timestamp, exactly what {@code rd_kafka_message_timestamp(message, NULL)} returns (-1 when the
 * report carries an error, else the message's {@code rkm_timestamp}: CreateTime, or the broker's LogAppendTime), read
 * from memory instead of a downcall per message (the downcall was 9% of the polling thread in the bulk profile).
 *
 * <p>{@code rkm_timestamp} lives in librdkafka's private {@code rd_kafka_msg_t} ({@link MsgT}). The memory read is
 * used only when both hold: the loaded librdkafka is a version whose source was read (2.0.0 up to 2.15.x, where
 * {@code rd_kafka_message_timestamp} only reads {@code err} and the two {@code rkm_*} fields, never a pointer), and
 * a probe at first use, {@code rd_kafka_message_timestamp} on a zeroed buffer of our own with markers at the expected
 * place, returns those markers. Otherwise every report makes the downcall, as before.
 */
final class DeliveryTimestamps {

    private static final int MIN_VERSION = 0x02000000;
    /** Below 2.16.0: the newest release whose rdkafka_msg.h and rdkafka_msg.c were read (2.15). */
    private static final int MAX_VERSION_EXCLUSIVE = 0x02100000;
    private static final int PROBE_SIZE = 256;

    private static volatile Boolean fromMemory;

    private DeliveryTimestamps() {
    }

    /** The timestamp of a delivery-report message; valid while its event is not destroyed. */
    static long of(LibRdKafka rd, Pointer message) {
        if (fromMemory(rd)) {
            return MessageT.err(message) != 0 ? -1 : message.getLong(MsgT.TIMESTAMP);
        }
        return rd.rd_kafka_message_timestamp(message, null);
    }

    /** Whether reports are read from memory in this JVM (for tests and docs). */
    static boolean fromMemory(LibRdKafka rd) {
        Boolean known = fromMemory;
        if (known == null) {
            int version = rd.rd_kafka_version();
            known = version >= MIN_VERSION && version < MAX_VERSION_EXCLUSIVE && probe(rd, 0x0123_4567_89AB_CDEFL)
                    && probe(rd, 0x7EDC_BA98_7654_3210L);
            fromMemory = known;
        }
        return known;
    }

    private static boolean probe(LibRdKafka rd, long marker) {
        Pointer fake = Memory.allocateDirect(NativeLibraries.runtime(), PROBE_SIZE, true);
        fake.putInt(MessageT.ERR, 0);
        fake.putLong(MsgT.TIMESTAMP, marker);
        return rd.rd_kafka_message_timestamp(fake, null) == marker;
    }
}
