package io.waterdrop.internal.client;

import io.waterdrop.Message;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLayouts.MessageT;
import io.waterdrop.internal.nativelib.NativeLibraries;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * One {@code rd_kafka_produce_batch} call for messages of one topic and ONE partition (or all unassigned), without
 * headers, timestamp or partition key.
 *
 * <p>librdkafka 2.0.2 (src/rdkafka_msg.c): each message's {@code err} is set (0 = enqueued, its report follows with
 * {@code _private} as the opaque) and the call returns how many were enqueued. On {@code _QUEUE_FULL} every later
 * message of the call gets {@code _QUEUE_FULL} too, without being looked at. The array and the bytes it points to
 * stay ours ({@code RD_KAFKA_MSG_F_COPY}; the key is always copied), so the buffer is released on every path.
 *
 * <p>Never {@code RD_KAFKA_MSG_F_PARTITION}: with per-message partitions, a partition that does not exist leaves the
 * message librdkafka already created neither queued nor destroyed (still so on librdkafka's master), and its count
 * in the producer's queue never drops, so every flush and close would wait for it. With one fixed partition that
 * lookup happens once, before any message is created, and its error goes to every message.
 */
final class ProduceBatchCall {

    private static final NativeBuffers BUFFERS = new NativeBuffers(NativeLibraries.libc());

    private ProduceBatchCall() {
    }

    /**
     * Produces {@code messages[from, to)} to {@code partition} with {@code rkt}; {@code errs[i - from]} gets each one's
     * result (0 when accepted).
     */
    static void produce(LibRdKafka rd, Pointer rkt, List<Message> messages, int from, int to, int partition,
            long[] opaques, int[] errs) {
        int count = to - from;
        long size = (long) count * MessageT.SIZE;
        for (int i = from; i < to; i++) {
            Message m = messages.get(i);
            size += (m.payload() != null ? m.payload().length : 0) + (m.key() != null ? m.key().length : 0);
        }
        Pointer buf = BUFFERS.take(size);
        try {
            long base = buf.address();
            long data = (long) count * MessageT.SIZE;
            for (int i = 0; i < count; i++) {
                Message m = messages.get(from + i);
                long at = (long) i * MessageT.SIZE;
                buf.putInt(at + MessageT.ERR, 0);
                buf.putAddress(at + MessageT.RKT, 0L);
                buf.putInt(at + MessageT.PARTITION, partition);
                buf.putLong(at + MessageT.OFFSET, 0L);
                buf.putAddress(at + MessageT.PRIVATE, opaques[i]);
                // A non-NULL pointer with length 0 is an empty value; NULL is a null value (tombstone).
                data = putBytes(buf, at + MessageT.PAYLOAD, at + MessageT.LEN, m.payload(), base, data);
                data = putBytes(buf, at + MessageT.KEY, at + MessageT.KEY_LEN, m.key(), base, data);
            }
            rd.rd_kafka_produce_batch(rkt, partition, LibRdKafka.MSG_F_COPY, buf, count);
            for (int i = 0; i < count; i++) {
                errs[i] = buf.getInt((long) i * MessageT.SIZE + MessageT.ERR);
            }
        } finally {
            BUFFERS.give(buf, size);
        }
    }

    private static long putBytes(Pointer buf, long pointerAt, long lengthAt, byte[] bytes, long base, long data) {
        if (bytes == null) {
            buf.putAddress(pointerAt, 0L);
            buf.putLong(lengthAt, 0L);
            return data;
        }
        buf.put(data, bytes, 0, bytes.length);
        buf.putAddress(pointerAt, base + data);
        buf.putLong(lengthAt, bytes.length);
        return data + bytes.length;
    }
}
