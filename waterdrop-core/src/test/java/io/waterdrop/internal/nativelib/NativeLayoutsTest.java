package io.waterdrop.internal.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.waterdrop.internal.nativelib.NativeLayouts.MessageT;
import io.waterdrop.internal.nativelib.NativeLayouts.Metadata;
import io.waterdrop.internal.nativelib.NativeLayouts.MetadataTopic;
import io.waterdrop.internal.nativelib.NativeLayouts.PollFd;
import io.waterdrop.internal.nativelib.NativeLayouts.Vu;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every offset in {@link NativeLayouts} against the C compiler's answer for the installed {@code rdkafka.h}.
 * Skipped (saying why) where no C compiler or no librdkafka header is installed.
 */
class NativeLayoutsTest {

    private static final Path HEADER = Path.of("/usr/include/librdkafka/rdkafka.h");

    private static Map<String, Long> expected() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sizeof(rd_kafka_vu_t)", (long) Vu.SIZE);
        m.put("offsetof(rd_kafka_vu_t, vtype)", (long) Vu.VTYPE);
        m.put("offsetof(rd_kafka_vu_t, u)", (long) Vu.UNION);
        m.put("offsetof(rd_kafka_vu_t, u.cstr)", (long) Vu.UNION);
        m.put("offsetof(rd_kafka_vu_t, u.i64)", (long) Vu.UNION);
        m.put("offsetof(rd_kafka_vu_t, u.headers)", (long) Vu.UNION);
        m.put("offsetof(rd_kafka_vu_t, u.mem.ptr)", (long) Vu.MEM_PTR);
        m.put("offsetof(rd_kafka_vu_t, u.mem.size)", (long) Vu.MEM_SIZE);
        m.put("RD_KAFKA_VTYPE_END", (long) Vu.END);
        m.put("RD_KAFKA_VTYPE_TOPIC", (long) Vu.TOPIC);
        m.put("RD_KAFKA_VTYPE_RKT", (long) Vu.RKT);
        m.put("RD_KAFKA_VTYPE_PARTITION", (long) Vu.PARTITION);
        m.put("RD_KAFKA_VTYPE_VALUE", (long) Vu.VALUE);
        m.put("RD_KAFKA_VTYPE_KEY", (long) Vu.KEY);
        m.put("RD_KAFKA_VTYPE_OPAQUE", (long) Vu.OPAQUE);
        m.put("RD_KAFKA_VTYPE_MSGFLAGS", (long) Vu.MSGFLAGS);
        m.put("RD_KAFKA_VTYPE_TIMESTAMP", (long) Vu.TIMESTAMP);
        m.put("RD_KAFKA_VTYPE_HEADERS", (long) Vu.HEADERS);
        m.put("RD_KAFKA_MSG_F_COPY", (long) LibRdKafka.MSG_F_COPY);
        m.put("sizeof(rd_kafka_message_t)", (long) MessageT.SIZE);
        m.put("offsetof(rd_kafka_message_t, err)", (long) MessageT.ERR);
        m.put("offsetof(rd_kafka_message_t, rkt)", (long) MessageT.RKT);
        m.put("offsetof(rd_kafka_message_t, partition)", (long) MessageT.PARTITION);
        m.put("offsetof(rd_kafka_message_t, payload)", (long) MessageT.PAYLOAD);
        m.put("offsetof(rd_kafka_message_t, len)", (long) MessageT.LEN);
        m.put("offsetof(rd_kafka_message_t, key)", (long) MessageT.KEY);
        m.put("offsetof(rd_kafka_message_t, key_len)", (long) MessageT.KEY_LEN);
        m.put("offsetof(rd_kafka_message_t, offset)", (long) MessageT.OFFSET);
        m.put("offsetof(rd_kafka_message_t, _private)", (long) MessageT.PRIVATE);
        m.put("offsetof(struct rd_kafka_metadata, topic_cnt)", (long) Metadata.TOPIC_CNT);
        m.put("offsetof(struct rd_kafka_metadata, topics)", (long) Metadata.TOPICS);
        m.put("sizeof(struct rd_kafka_metadata_topic)", (long) MetadataTopic.SIZE);
        m.put("offsetof(struct rd_kafka_metadata_topic, topic)", (long) MetadataTopic.TOPIC);
        m.put("offsetof(struct rd_kafka_metadata_topic, partition_cnt)", (long) MetadataTopic.PARTITION_CNT);
        m.put("offsetof(struct rd_kafka_metadata_topic, err)", (long) MetadataTopic.ERR);
        m.put("sizeof(struct pollfd)", (long) PollFd.SIZE);
        m.put("offsetof(struct pollfd, fd)", (long) PollFd.FD);
        m.put("offsetof(struct pollfd, events)", (long) PollFd.EVENTS);
        m.put("offsetof(struct pollfd, revents)", (long) PollFd.REVENTS);
        m.put("POLLIN", (long) PollFd.POLLIN);
        return m;
    }

    @Test
    void everyOffsetMatchesTheInstalledHeader(@TempDir Path dir) throws Exception {
        assumeThat(HEADER).as("librdkafka's development header").exists();
        assumeThat(Path.of("/usr/bin/cc")).as("a C compiler").exists();
        Map<String, Long> expected = expected();
        String program = "#include <stdio.h>\n#include <stddef.h>\n#include <poll.h>\n#include <librdkafka/rdkafka.h>\nint main(void) {\n"
                + expected.keySet().stream()
                        .map(e -> "  printf(\"%s=%ld\\n\", \"" + e + "\", (long)(" + e + "));")
                        .collect(Collectors.joining("\n"))
                + "\n  return 0;\n}\n";
        Files.writeString(dir.resolve("layout.c"), program);

        run(dir, List.of("/usr/bin/cc", "-o", "layout", "layout.c"));
        String output = run(dir, List.of(dir.resolve("layout").toString()));

        Map<String, Long> actual = output.lines().map(l -> l.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1]), (a, b) -> a, LinkedHashMap::new));
        assertThat(actual).isEqualTo(expected);
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
