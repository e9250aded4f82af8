package io.waterdrop.internal.nativelib;

import jnr.ffi.Pointer;

/**
 * Byte offsets and sizes of the native structs WaterDrop reads or writes directly (librdkafka's, and libc's
 * {@code struct pollfd}), in one place.
 *
 * <p>Every figure is for LP64 (x86_64 and aarch64 Linux and macOS: 8-byte pointers, size_t and long, 4-byte int and
 * enum) and librdkafka 2.x's {@code rdkafka.h}. {@code NativeLayoutsTest} compiles a C program against the installed
 * header and checks each constant with {@code offsetof}/{@code sizeof}, so a layout change fails a test instead of
 * corrupting memory.
 */
public final class NativeLayouts {

    private NativeLayouts() {
    }

    /**
     * {@code rd_kafka_vu_t}: one typed argument of {@code rd_kafka_produceva}: {@code vtype} (a 4-byte enum padded to
     * 8), then a 64-byte union whose members all start at {@link #UNION}.
     */
    public static final class Vu {
        public static final int SIZE = 72;
        public static final int VTYPE = 0;
        /** {@code u.cstr}, {@code u.ptr}, {@code u.i}, {@code u.i32}, {@code u.i64}, {@code u.headers}. */
        public static final int UNION = 8;
        /** {@code u.mem.ptr} and {@code u.mem.size}. */
        public static final int MEM_PTR = 8;
        public static final int MEM_SIZE = 16;

        // rd_kafka_vtype_t values
        public static final int END = 0;
        public static final int TOPIC = 1;
        /** An {@code rd_kafka_topic_t *}: the message takes that handle's topic settings (producer variants). */
        public static final int RKT = 2;
        public static final int PARTITION = 3;
        public static final int VALUE = 4;
        public static final int KEY = 5;
        public static final int OPAQUE = 6;
        public static final int MSGFLAGS = 7;
        public static final int TIMESTAMP = 8;
        /** An {@code rd_kafka_headers_t *} the caller owns until produceva succeeds (see NativeProducer.produce). */
        public static final int HEADERS = 10;

        private Vu() {
        }
    }

    /** {@code rd_kafka_message_t}, as delivery reports hand it over (72 bytes). */
    public static final class MessageT {
        public static final int SIZE = 72;
        /** {@code rd_kafka_resp_err_t err}. */
        public static final int ERR = 0;
        /** {@code rd_kafka_topic_t *rkt}. */
        public static final int RKT = 8;
        /** {@code int32_t partition}. */
        public static final int PARTITION = 16;
        /** {@code void *payload}. */
        public static final int PAYLOAD = 24;
        /** {@code size_t len}. */
        public static final int LEN = 32;
        /** {@code void *key}. */
        public static final int KEY = 40;
        /** {@code size_t key_len}. */
        public static final int KEY_LEN = 48;
        /** {@code int64_t offset}. */
        public static final int OFFSET = 56;
        /** {@code void *_private}: for a producer, the per-message opaque given to produceva. */
        public static final int PRIVATE = 64;

        private MessageT() {
        }

        public static int err(Pointer message) {
            return message.getInt(ERR);
        }

        public static int partition(Pointer message) {
            return message.getInt(PARTITION);
        }

        public static long offset(Pointer message) {
            return message.getLong(OFFSET);
        }

        /** The opaque WaterDrop gave {@code rd_kafka_produceva} for this message. */
        public static long opaque(Pointer message) {
            return message.getAddress(PRIVATE);
        }
    }

    /** {@code struct rd_kafka_metadata}, as {@code rd_kafka_metadata()} returns it. */
    public static final class Metadata {
        public static final int TOPIC_CNT = 16;
        /** {@code struct rd_kafka_metadata_topic *topics}. */
        public static final int TOPICS = 24;

        private Metadata() {
        }
    }

    /** {@code struct rd_kafka_metadata_topic}, one element of {@link Metadata#TOPICS}. */
    public static final class MetadataTopic {
        public static final int SIZE = 32;
        /** {@code char *topic}. */
        public static final int TOPIC = 0;
        public static final int PARTITION_CNT = 8;
        /** {@code rd_kafka_resp_err_t err}: the topic's own error, e.g. UNKNOWN_TOPIC_OR_PART. */
        public static final int ERR = 24;

        private MetadataTopic() {
        }
    }

    /** libc's {@code struct pollfd}, an element of the array the fd Poller hands to {@code poll(2)}. */
    public static final class PollFd {
        public static final int SIZE = 8;
        public static final int FD = 0;
        /** {@code short events}: what to wait for. */
        public static final int EVENTS = 4;
        /** {@code short revents}: what happened, written by {@code poll(2)}. */
        public static final int REVENTS = 6;
        /** The {@code events}/{@code revents} bit for "readable". */
        public static final int POLLIN = 0x1;

        private PollFd() {
        }
    }
}
