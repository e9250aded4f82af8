package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.ProducerState;
import io.waterdrop.spring.WaterDropProducers;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real SpringApplication: the starter is picked up from AutoConfiguration.imports and spring.factories, exactly as
 * in an application that only adds the dependency.
 */
class SpringApplicationTests {

    @Test
    void whenApplicationUsesIssueYamlShouldCreateItsProducersOnItsPollers() {
        Producer orders;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
            .web(WebApplicationType.NONE)
            .properties("spring.config.location=classpath:issue-4.yml", "spring.main.banner-mode=off")
            .run()) {
            WaterDropProducers producers = context.getBean(WaterDropProducers.class);
            assertThat(producers.names()).containsExactlyInAnyOrder("orders", "audit");
            orders = producers.get("orders");
            Poller critical = context.getBean("waterdrop.pollers.critical", Poller.class);
            assertThat(orders.config().poller()).isSameAs(critical);
            assertThat(orders.config().kafka()).containsEntry("enable.idempotence", "true");
            assertThat(producers.get("audit").config().poller()).isSameAs(Poller.global());
            assertThat(orders.state()).isEqualTo(ProducerState.CONNECTED);
        }
        assertThat(orders.state()).isEqualTo(ProducerState.CLOSED);
    }

    @Test
    void whenOnlySpringKafkaBootstrapServersNameTheBrokerShouldDeliverThere() {
        String topic = KafkaBroker.newTopic("spring-application");
        // spring-kafka's auto-configuration is excluded: the starter reads Spring Boot's property itself.
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "spring.autoconfigure.exclude=" + KafkaAutoConfiguration.class.getName(),
                    "spring.kafka.bootstrap-servers=" + KafkaBroker.bootstrapServers())
            .run()) {
            assertThat(context.getBeanNamesForType(KafkaConnectionDetails.class)).isEmpty();
            DeliveryReport report = context.getBean(Producer.class).produceSync(Message.of(topic, "plain application"));
            assertThat(report.error()).isNull();
        }
        assertThat(KafkaBroker.read(topic, 1))
            .extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
            .containsExactly("plain application");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
