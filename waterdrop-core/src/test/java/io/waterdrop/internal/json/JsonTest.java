package io.waterdrop.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The statistics JSON reader: every JSON construct librdkafka emits, and clear errors for broken input. */
class JsonTest {

    @Test
    void parsesNestedObjectsAndArraysKeepingKeyOrder() {
        Object parsed = Json.parse("""
                {"name": "rdkafka#producer-1", "type": "producer", "ts": 123456789012,
                 "brokers": {"b1": {"rtt": {"avg": 1.5, "p99": 3}}, "b0": {}},
                 "list": [1, "two", [true, false, null], {}], "empty": []}""");

        assertThat(parsed).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        assertThat(map.keySet()).containsExactly("name", "type", "ts", "brokers", "list", "empty");
        assertThat(map).contains(entry("name", "rdkafka#producer-1"), entry("type", "producer"),
                entry("ts", 123456789012L), entry("empty", List.of()));
        assertThat(map.get("brokers")).isEqualTo(Map.of("b1", Map.of("rtt", Map.of("avg", 1.5, "p99", 3L)),
                "b0", Map.of()));
        assertThat(List.copyOf(((Map<?, ?>) map.get("brokers")).keySet())).isEqualTo(List.of("b1", "b0"));
        assertThat(map.get("list")).isEqualTo(List.of(1L, "two", Arrays.asList(true, false, null), Map.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "-17|-17",
        "9223372036854775807|9223372036854775807",
        "-9223372036854775808|-9223372036854775808"})
    void integersBecomeLongs(String json, long expected) {
        assertThat(Json.parse(json)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1.25|1.25", "-0.5|-0.5", "1e3|1000.0", "2.5E-2|0.025", "1E+2|100.0"})
    void decimalsAndExponentsBecomeDoubles(String json, double expected) {
        assertThat(Json.parse(json)).isEqualTo(expected);
    }

    @Test
    void stringEscapesAreDecoded() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\"")).isEqualTo("a\"b\\c/d\n\t\r\b\f");
        assertThat(Json.parse("\"caf\\u00e9 \\u00E9\"")).isEqualTo("café é");
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("😀");
        assertThat(Json.parse("\"ünïcödé raw\"")).isEqualTo("ünïcödé raw");
        assertThat(Json.parse("\"\"")).isEqualTo("");
    }

    @Test
    void literalsAndWhitespace() {
        assertThat(Json.parse(" \n\ttrue \r\n")).isEqualTo(true);
        assertThat(Json.parse("false")).isEqualTo(false);
        assertThat(Json.parse("null")).isNull();
        assertThat(Json.parse("{ }")).isEqualTo(Map.of());
        assertThat(Json.parse("[ ]")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|Invalid JSON at 0: unexpected end",
        "'{\"a\":1} x'|Invalid JSON at 8: trailing characters",
        "'{\"a\" 1}'|Invalid JSON at 6: expected ':'",
        "'{a:1}'|Invalid JSON at 2: expected '\"'",
        "'{\"a\":1,}'|Invalid JSON at 8: expected '\"'",
        "'[1 2]'|Invalid JSON at 4: expected ',' or ']'",
        "'{\"a\":1 \"b\":2}'|Invalid JSON at 8: expected ',' or '}'",
        "'\"unterminated'|Invalid JSON at 13: unexpected end",
        "'tru'|Invalid JSON at 0: expected true",
        "'nul'|Invalid JSON at 0: expected null",
        "'[1,'|Invalid JSON at 3: unexpected end",
        "'@'|Invalid JSON at 0: unexpected character '@'",
        "'\"\\u12\"'|Invalid JSON at 3: bad unicode escape"})
    void malformedInputFailsWithThePosition(String json, String message) {
        assertThatThrownBy(() -> Json.parse(json)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", "1.2.3", "--1", "99999999999999999999"})
    void malformedNumbersFail(String json) {
        assertThatThrownBy(() -> Json.parse(json)).isInstanceOf(IllegalArgumentException.class);
    }
}
