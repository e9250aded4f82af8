package io.waterdrop.internal.client;

import io.waterdrop.ConfigurationException;
import java.util.Locale;
import java.util.Map;

/**
 * librdkafka settings that would break what every producer promises: every message handed to librdkafka gets
 * exactly one delivery report, served on our polling thread. librdkafka accepts them, so they are refused here,
 * naming the key and what to do instead.
 */
final class DeliveryContract {

    private DeliveryContract() {
    }

    /** @throws ConfigurationException for the first setting that breaks the contract */
    static void check(Map<String, String> properties) {
        properties.forEach((key, value) -> {
            String reason = reason(key, value.toLowerCase(Locale.ROOT));
            if (reason != null) {
                throw new ConfigurationException("kafka." + key, "kafka." + key + "=" + value + " is not supported: "
                        + reason);
            }
        });
    }

    private static String reason(String key, String value) {
        return switch (key) {
            // Successful messages would get no report: their handles never complete and pending grows forever.
            case "delivery.report.only.error" -> isTrue(value) ? "successful messages would never get a delivery "
                    + "report, so their handles would never complete; remove it (a listener on error.occurred sees "
                    + "only the failures)" : null;
            // We enable exactly the events we serve (delivery reports, errors, statistics, logs).
            case "enabled_events" -> "WaterDrop chooses which librdkafka events it serves; remove it";
            // Logs must reach the main queue, or librdkafka would log on its own threads.
            case "log.queue" -> isTrue(value) ? null : "librdkafka would call the logger on its own threads; remove "
                    + "it (WaterDrop forwards logs to the polling thread)";
            // Its token refresh is an op that only rd_kafka_poll runs; reports are served through the event API, so
            // the token would never be refreshed.
            case "enable.sasl.oauthbearer.unsecure.jwt" -> isTrue(value) ? "its token refresh needs callback "
                    + "polling, which WaterDrop does not do; use sasl.oauthbearer.method=oidc" : null;
            // A librdkafka unit-test hook that takes a function pointer from a string: calling it would crash.
            case "ut_handle_ProduceResponse" -> "it is a librdkafka unit-test hook; remove it";
            default -> null;
        };
    }

    /** librdkafka's own reading of a boolean (rdkafka_conf.c): true, t or 1, any case. */
    private static boolean isTrue(String value) {
        return value.equals("true") || value.equals("t") || value.equals("1");
    }
}
