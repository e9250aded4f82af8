package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.internal.json.Json;
import io.waterdrop.spring.WaterDropEndpoint;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.test.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A configured {@code sasl.password} never shows: not in {@code /actuator/waterdrop}, not in {@code env} or
 * {@code configprops} even with their values shown, not in health, metrics or any log line. The application runs
 * as a user's would: web server, Actuator, the starter, a real broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class WaterDropEndpointSecretsTests {

    private static final String SECRET = "s3cr3t-CHECK";

    @Test
    void configuredSecretAppearsInNoEndpointAndNoLogLine(CapturedOutput output) throws Exception {
        String topic = KafkaBroker.newTopic("secrets");
        try (ConfigurableApplicationContext context = SpringApplication.run(App.class, "--server.port=0",
                "--spring.main.banner-mode=off",
                "--waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                "--waterdrop.kafka.sasl.password=" + SECRET,
                "--waterdrop.producers.orders.kafka.ssl.key.password=" + SECRET,
                "--waterdrop.producers.orders.kafka.statistics.interval.ms=100",
                "--waterdrop.producers.audit.polling.mode=thread",
                "--management.endpoints.web.exposure.include=*",
                "--management.endpoint.health.show-details=always",
                "--management.endpoint.env.show-values=always",
                "--management.endpoint.configprops.show-values=always")) {
            context.getBean(WaterDropProducers.class).get("orders").produceSync(Message.of(topic, "x"));
            String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");

            Map<String, Object> orders = json(get(base + "/actuator/waterdrop/orders"));
            assertThat(child(orders, "kafka")).containsEntry("sasl.password", "******")
                .containsEntry("ssl.key.password", "******")
                .containsEntry("bootstrap.servers", KafkaBroker.bootstrapServers());
            assertThat(child(orders, "producer")).containsEntry("name", "orders").containsEntry("delivered", 1L);
            Map<String, Object> overview = json(get(base + "/actuator/waterdrop"));
            assertThat((List<?>) overview.get("producers")).hasSize(2);
            assertThat((List<?>) overview.get("pollers")).hasSize(1);
            assertThat(get(base + "/actuator/env")).contains("waterdrop.kafka.sasl.password");
            assertThat(get(base + "/actuator/configprops")).contains("sasl.password");
            for (String path : List.of("/actuator/waterdrop", "/actuator/waterdrop/orders", "/actuator/waterdrop/audit",
                    "/actuator/env", "/actuator/env/waterdrop.kafka.sasl.password", "/actuator/configprops",
                    "/actuator/configprops/waterdrop", "/actuator/health", "/actuator/metrics")) {
                assertThat(get(base + path)).as(path).doesNotContain(SECRET);
            }
        }
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void showValuesAlwaysShowsSecretsThroughTheSanitizingFunctions() {
        try (Producer producer = new Producer(io.waterdrop.ProducerConfig.builder().name("shown")
                .bootstrapServers(KafkaBroker.bootstrapServers()).kafka("sasl.password", SECRET)
                .kafka("acks", "all").build())) {
            WaterDropProducers producers = new WaterDropProducers(List.of(producer));
            io.waterdrop.spring.WaterDropPollers pollers = new io.waterdrop.spring.WaterDropPollers(Map.of());
            WaterDropEndpoint always = new WaterDropEndpoint(producers, pollers, List.of(), Show.ALWAYS, Set.of());
            assertThat(always.producer("shown", SecurityContext.NONE).kafka()).containsEntry("sasl.password", SECRET);

            SanitizingFunction masksAcks = SanitizingFunction.sanitizeValue().ifKeyEquals("acks");
            WaterDropEndpoint never = new WaterDropEndpoint(producers, pollers, List.of(masksAcks), Show.NEVER,
                    Set.of());
            assertThat(never.producer("shown", SecurityContext.NONE).kafka())
                .containsEntry("sasl.password", "******")
                .containsEntry("acks", "******");
            assertThat(never.producer("missing", SecurityContext.NONE)).isNull();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return (Map<String, Object>) Json.parse(body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
