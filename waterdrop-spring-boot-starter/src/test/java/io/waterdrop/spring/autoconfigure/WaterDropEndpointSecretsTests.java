package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.DeliveryHandle;
import io.waterdrop.Event;
import io.waterdrop.KafkaError;
import io.waterdrop.Message;
import io.waterdrop.ProduceException;
import io.waterdrop.Producer;
import io.waterdrop.internal.json.Json;
import io.waterdrop.spring.WaterDropEndpoint;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.test.BrokerProcess;
import io.waterdrop.test.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A configured {@code sasl.password} never shows: not in {@code /actuator/waterdrop}, not in {@code env} or
 * {@code configprops} even with their values shown, not in health, metrics or any log line. The application runs
 * as a user's would: web server, Actuator, the starter, a real broker. A wrong SASL/PLAIN password against a
 * broker that requires it: the application starts, an {@code _AUTHENTICATION} error event arrives, handles fail,
 * health is DOWN, and neither password shows anywhere.
 */
@ExtendWith(OutputCaptureExtension.class)
class WaterDropEndpointSecretsTests {

    private static final String SECRET = "s3cr3t-CHECK";
    private static final String RIGHT_PASSWORD = "alice-Pa55-" + Long.toHexString(System.nanoTime());
    private static final String WRONG_PASSWORD = "wrong-Pa55-" + Long.toHexString(System.nanoTime());
    private static final Duration PATIENCE = Duration.ofSeconds(60);

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
    void wrongSaslPasswordStartsThenFailsWithHealthDownAndShowsNowhere(CapturedOutput output) throws Exception {
        try (BrokerProcess kafka = BrokerProcess.builder()
            .listener("SASL_PLAINTEXT")
            .property("sasl.enabled.mechanisms", "PLAIN")
            .property("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\""
                            + RIGHT_PASSWORD + "\";")
            .start()) {
            String topic = KafkaBroker.newTopic(kafka.bootstrapServers(), "sasl-wrong", 1);
            SpringApplication application = new SpringApplication(App.class, ErrorEvents.class);
            try (ConfigurableApplicationContext context = application.run("--server.port=0",
                    "--spring.main.banner-mode=off",
                    "--waterdrop.kafka.bootstrap.servers=" + kafka.bootstrapServers("SASL_PLAINTEXT"),
                    "--waterdrop.kafka.security.protocol=SASL_PLAINTEXT", "--waterdrop.kafka.sasl.mechanisms=PLAIN",
                    "--waterdrop.kafka.sasl.username=alice", "--waterdrop.kafka.sasl.password=" + WRONG_PASSWORD,
                    "--waterdrop.kafka.message.timeout.ms=3000", "--waterdrop.kafka.statistics.interval.ms=200",
                    // librdkafka's own debug lines reach the captured output too: none may show the password.
                    "--waterdrop.kafka.debug=security,broker", "--logging.level.io.waterdrop.librdkafka=DEBUG",
                    "--waterdrop.producers.orders.close-timeout=2s",
                    // A refused password is this application's fault, not an outage: DOWN whatever this says.
                    "--waterdrop.health.brokers-down-grace-period=1s",
                    "--waterdrop.health.brokers-down-status=out_of_service",
                    "--management.endpoints.web.exposure.include=*",
                    "--management.endpoint.health.show-details=always",
                    "--management.endpoint.env.show-values=always",
                    "--management.endpoint.configprops.show-values=always")) {
                Producer orders = context.getBean(WaterDropProducers.class).get("orders");
                DeliveryHandle handle = orders.produceAsync(Message.of(topic, "refused"));
                assertThat(handle.toCompletableFuture()).failsWithin(PATIENCE)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(ProduceException.class,
                            e -> assertThat(e.error().code()).isEqualTo(KafkaError.MSG_TIMED_OUT));
                List<Event.ErrorOccurred> errors = context.getBean(ErrorEvents.class).errors;
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(errors)
                    .extracting(Event.ErrorOccurred::kafkaError)
                    .anySatisfy(error -> assertThat(error).isNotNull()
                        .extracting(KafkaError::name)
                        .isEqualTo("_AUTHENTICATION")));

                String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
                await().atMost(PATIENCE).untilAsserted(() -> {
                    Map<String, Object> health = json(get(base + "/actuator/health/waterdrop/orders", 503));
                    assertThat(health).containsEntry("status", "DOWN");
                    assertThat((String) child(health, "details").get("reason"))
                        .startsWith("authentication failed: ")
                        .contains("Authentication failed: Invalid username or password");
                });
                assertThat(child(json(get(base + "/actuator/waterdrop/orders")), "kafka"))
                    .containsEntry("sasl.password", "******");
                for (String path : List.of("/actuator/waterdrop", "/actuator/waterdrop/orders", "/actuator/env",
                        "/actuator/env/waterdrop.kafka.sasl.password", "/actuator/configprops",
                        "/actuator/configprops/waterdrop", "/actuator/metrics")) {
                    assertThat(get(base + path)).as(path).doesNotContain(WRONG_PASSWORD);
                }
                assertThat(get(base + "/actuator/health", 503)).doesNotContain(WRONG_PASSWORD);
                errors.forEach(error -> assertThat(error + error.description()).doesNotContain(WRONG_PASSWORD));
            }
            assertThat(KafkaBroker.read(kafka.bootstrapServers(), topic, 1, Duration.ofSeconds(3), false)).isEmpty();
        }
        assertThat(output.getAll()).contains("Authentication failed").doesNotContain(WRONG_PASSWORD)
            .doesNotContain(RIGHT_PASSWORD);
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
        return get(url, 200);
    }

    private static String get(String url, int status) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(status);
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

    /** Every producer's error events, subscribed before the producers connect (beans exist before they start). */
    @Configuration(proxyBeanMethods = false)
    static class ErrorEvents {

        final List<Event.ErrorOccurred> errors = new CopyOnWriteArrayList<>();

        @Bean
        Object errorEventsSubscription(WaterDropProducers producers) {
            producers.forEach(producer -> producer.monitor().subscribe(Event.ErrorOccurred.class, errors::add));
            return errors;
        }
    }
}
