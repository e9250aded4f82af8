package io.waterdrop.sample.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.waterdrop.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Runs the sample as it ships (application.yml, embedded broker, load on) and calls its HTTP endpoints. */
class WaterDropSampleApplicationTests {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static ConfigurableApplicationContext context;
    private static String base;

    @BeforeAll
    static void start() {
        context = SpringApplication.run(WaterDropSampleApplication.class, "--server.port=0");
        base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void sendEndpointDeliversWithTheChosenProducer() throws Exception {
        String topic = "http-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = post("/send?producer=audit&topic=" + topic + "&key=42", "over http");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> sent = json(response.body());
        assertThat(sent).containsEntry("producer", "audit").containsEntry("topic", topic);
        assertThat((Long) sent.get("offset")).isZero();

        List<ConsumerRecord<String, String>> records = read(topic);
        assertThat(records).singleElement().satisfies((record) -> {
            assertThat(record.key()).isEqualTo("42");
            assertThat(record.value()).isEqualTo("over http");
        });
    }

    @Test
    void sendEndpointAnswers404ForAnUnknownProducer() throws Exception {
        HttpResponse<String> response = post("/send?producer=nope", "x");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("nope").contains("orders");
    }

    @Test
    void healthIsUpWithAWaterdropComponentPerProducerAndPoller() throws Exception {
        Map<String, Object> health = json(get("/actuator/health").body());
        assertThat(health).containsEntry("status", "UP");
        Map<String, Object> waterdrop = child(child(health, "components"), "waterdrop");
        assertThat(waterdrop).containsEntry("status", "UP");
        Map<String, Object> components = child(waterdrop, "components");
        assertThat(components).containsKeys("orders", "audit", "bulk", "pollers");
        assertThat(child(child(components, "orders"), "details")).containsEntry("poller", "critical")
            .containsEntry("thread", "waterdrop.poller#1");
        assertThat(child(child(components, "pollers"), "components")).containsKeys("global", "critical");
    }

    @Test
    void waterdropEndpointListsProducersAndPollersUnderLoad() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> waterdrop = json(get("/actuator/waterdrop").body());
            List<Map<String, Object>> producers = list(waterdrop, "producers");
            assertThat(producers).extracting((p) -> p.get("name")).containsExactly("orders", "audit", "bulk");
            assertThat(producers).allSatisfy((p) -> assertThat((Long) p.get("delivered")).isPositive());
            assertThat(list(waterdrop, "pollers")).extracting((p) -> p.get("name")).containsExactly("global",
                    "critical");
        });
    }

    @Test
    void metricsAndPrometheusShowWaterdropMeters() throws Exception {
        Map<String, Object> metrics = json(get("/actuator/metrics").body());
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) metrics.get("names");
        assertThat(names).filteredOn((name) -> name.startsWith("waterdrop.")).hasSizeGreaterThanOrEqualTo(5)
            .contains("waterdrop.producer.messages.acknowledged", "waterdrop.producer.delivery.latency",
                    "waterdrop.poller.serving");
        String prometheus = get("/actuator/prometheus").body();
        assertThat(prometheus).contains("waterdrop_producer_messages_acknowledged_total{producer=\"bulk\"}")
            .contains("waterdrop_producer_delivery_latency_seconds_bucket");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "text/plain")
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return (Map<String, Object>) Json.parse(body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
        return (List<Map<String, Object>>) map.get(key);
    }

    private static List<ConsumerRecord<String, String>> read(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                context.getBean(EmbeddedKafkaKraftBroker.class).getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "sample-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
