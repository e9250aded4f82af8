package io.waterdrop.internal.client;

import io.waterdrop.Header;
import io.waterdrop.Message;
import io.waterdrop.internal.nativelib.LibRdKafka;
import io.waterdrop.internal.nativelib.NativeLibraries;
import io.waterdrop.internal.nativelib.NativeLayouts.Vu;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * One {@code rd_kafka_produceva} call: encodes a message as an {@code rd_kafka_vu_t} array and makes the call.
 *
 * <p>Memory: one native buffer holds the vu array and every byte it points to. librdkafka copies all of it during
 * the call (payload with {@code RD_KAFKA_MSG_F_COPY}; key and headers always, rd_kafka_header_add included), so the
 * buffer goes back to the pool ({@link NativeBuffers}) right after and is reused: no malloc/free per message.
 *
 * <p>Headers: passed as ONE list WaterDrop builds ({@code RD_KAFKA_VTYPE_HEADERS}), never as
 * {@code RD_KAFKA_VTYPE_HEADER} items. With items, librdkafka 2.0.x builds the list itself and frees it twice when
 * the partitioner refuses the message (e.g. a partition that does not exist: rd_kafka_msg_destroy frees the
 * message's headers, then produceva's error path frees the same list again; upstream librdkafka issue 4627). With an
 * application list, produceva detaches the list from the message before destroying it, and the list stays ours on
 * every error path (it only becomes librdkafka's when produceva returns NULL), so we destroy it exactly then.
 */
final class ProduceCall {

    private static final NativeBuffers BUFFERS = new NativeBuffers(NativeLibraries.libc());

    private ProduceCall() {
    }

    /**
     * Returns 0 when librdkafka accepted the message, else its rd_kafka_resp_err_t.
     *
     * @param rkt the topic handle to produce with (a variant's settings), or {@code null} to produce by name
     */
    static int produce(LibRdKafka rd, Pointer rk, Message message, int partition, long opaque, Pointer rkt) {
        byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
        byte[] payload = message.payload();
        byte[] key = message.key();
        List<Header> headers = message.headers();
        int vuCount = 5 + (key != null ? 1 : 0) + (message.timestamp() != null ? 1 : 0)
                + (headers.isEmpty() ? 0 : 1) + 1;
        long size = (long) vuCount * Vu.SIZE + topic.length + 1
                + (payload != null ? payload.length : 0) + (key != null ? key.length : 0);
        byte[][] headerNames = new byte[headers.size()][];
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            headerNames[i] = h.key().getBytes(StandardCharsets.UTF_8);
            size += headerNames[i].length + (h.value() != null ? h.value().length : 0);
        }
        Pointer buf = BUFFERS.take(size);
        Pointer headerList = null;
        try {
            long base = buf.address();
            long data = (long) vuCount * Vu.SIZE;
            int vu = 0;
            buf.put(data, topic, 0, topic.length);
            buf.putByte(data + topic.length, (byte) 0);
            if (rkt != null) {
                putAddress(buf, vu++, Vu.RKT, rkt.address());
            } else {
                putAddress(buf, vu++, Vu.TOPIC, base + data);
            }
            data += topic.length + 1;
            putInt(buf, vu++, Vu.PARTITION, partition);
            putInt(buf, vu++, Vu.MSGFLAGS, LibRdKafka.MSG_F_COPY);
            putAddress(buf, vu++, Vu.OPAQUE, opaque);
            // A non-NULL pointer with size 0 is an empty value; NULL is a null value (tombstone). Same for the key.
            if (payload != null) {
                buf.put(data, payload, 0, payload.length);
                putMem(buf, vu++, Vu.VALUE, base + data, payload.length);
                data += payload.length;
            } else {
                putMem(buf, vu++, Vu.VALUE, 0L, 0);
            }
            if (key != null) {
                buf.put(data, key, 0, key.length);
                putMem(buf, vu++, Vu.KEY, base + data, key.length);
                data += key.length;
            }
            if (message.timestamp() != null) {
                long at = (long) vu++ * Vu.SIZE;
                buf.putInt(at + Vu.VTYPE, Vu.TIMESTAMP);
                buf.putLong(at + Vu.UNION, message.timestamp());
            }
            if (!headers.isEmpty()) {
                headerList = rd.rd_kafka_headers_new(headers.size());
                for (int i = 0; i < headers.size(); i++) {
                    byte[] name = headerNames[i];
                    byte[] value = headers.get(i).value();
                    long nameAt = base + data;
                    buf.put(data, name, 0, name.length);
                    data += name.length;
                    long valueAt = 0; // NULL: a header without a value
                    if (value != null) {
                        buf.put(data, value, 0, value.length);
                        valueAt = base + data;
                        data += value.length;
                    }
                    // rd_kafka_header_add only fails on a read-only list; ours is new.
                    rd.rd_kafka_header_add(headerList, nameAt, name.length, valueAt, value != null ? value.length : 0);
                }
                putAddress(buf, vu++, Vu.HEADERS, headerList.address());
            }
            buf.putInt((long) vu * Vu.SIZE + Vu.VTYPE, Vu.END);
            Pointer error = rd.rd_kafka_produceva(rk, buf, vu);
            if (error == null) {
                headerList = null; // librdkafka owns it now
                return 0;
            }
            int code = rd.rd_kafka_error_code(error);
            rd.rd_kafka_error_destroy(error);
            return code;
        } finally {
            if (headerList != null) {
                rd.rd_kafka_headers_destroy(headerList);
            }
            BUFFERS.give(buf, size);
        }
    }

    private static void putAddress(Pointer buf, int index, int vtype, long address) {
        long at = (long) index * Vu.SIZE;
        buf.putInt(at + Vu.VTYPE, vtype);
        buf.putAddress(at + Vu.UNION, address);
    }

    private static void putInt(Pointer buf, int index, int vtype, int value) {
        long at = (long) index * Vu.SIZE;
        buf.putInt(at + Vu.VTYPE, vtype);
        buf.putInt(at + Vu.UNION, value);
    }

    private static void putMem(Pointer buf, int index, int vtype, long address, long size) {
        long at = (long) index * Vu.SIZE;
        buf.putInt(at + Vu.VTYPE, vtype);
        buf.putAddress(at + Vu.MEM_PTR, address);
        buf.putLong(at + Vu.MEM_SIZE, size);
    }
}
