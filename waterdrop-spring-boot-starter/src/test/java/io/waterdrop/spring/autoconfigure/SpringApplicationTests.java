package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.ProducerState;
import io.waterdrop.spring.WaterDropProducers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real SpringApplication with the issue's YAML as its application.yml: the starter is picked up from
 * AutoConfiguration.imports and spring.factories, exactly as in an application that only adds the dependency.
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

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
