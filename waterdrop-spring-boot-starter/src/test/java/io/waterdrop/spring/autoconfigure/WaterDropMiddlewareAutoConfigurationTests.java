package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.Middleware;
import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropMiddleware;
import io.waterdrop.spring.internal.MiddlewareBeans;
import io.waterdrop.test.KafkaBroker;
import io.waterdrop.test.RecordReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The conditions of {@link WaterDropMiddlewareAutoConfiguration}, and bean middleware checked in Kafka. */
class WaterDropMiddlewareAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropMiddlewareAutoConfiguration.class))
        .withPropertyValues("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers());

    @Test
    void runWithoutMiddlewareBeansShouldLeaveTheChainEmpty() {
        this.runner.run((context) -> {
            assertThat(context).doesNotHaveBean(MiddlewareBeans.class);
            assertThat(context.getBean(Producer.class).middleware().isEmpty()).isTrue();
        });
    }

    /** Beans are declared out of order on purpose: @Order decides, and the limited one skips 'audit'. */
    @Test
    void runWithMiddlewareBeansShouldApplyThemInOrderAndOnlyWhereTheyApply() {
        String topic = KafkaBroker.newTopic("boot-middleware");
        this.runner.withUserConfiguration(MiddlewareConfiguration.class)
            .withPropertyValues("waterdrop.producers.orders.primary=true", "waterdrop.producers.audit.kafka.acks=1")
            .run((context) -> {
                Producer orders = context.getBean("waterdrop.producers.orders", Producer.class);
                Producer audit = context.getBean("waterdrop.producers.audit", Producer.class);
                assertThat(orders.middleware().list()).extracting(Middleware::name)
                    .containsExactly("first", "second", "ordersOnly");
                assertThat(audit.middleware().list()).extracting(Middleware::name).containsExactly("first", "second");

                DeliveryReport report = orders.produceSync(Message.of(topic, "through the chain"));
                try (RecordReader reader = new RecordReader()) {
                    ConsumerRecord<byte[], byte[]> record = reader.read(topic, report.partition(), report.offset());
                    assertThat(StreamSupport.stream(record.headers().headers("step").spliterator(), false)
                        .map((header) -> new String(header.value(), StandardCharsets.UTF_8)))
                        .containsExactly("first", "second", "orders-only");
                }
            });
    }

    private static Middleware step(String name) {
        return (message) -> message.toBuilder().header("step", name).build();
    }

    @Configuration(proxyBeanMethods = false)
    static class MiddlewareConfiguration {

        @Bean
        @Order(3)
        WaterDropMiddleware ordersOnly() {
            return WaterDropMiddleware.forProducers(Set.of("orders"), step("orders-only"));
        }

        @Bean
        @Order(2)
        Middleware second() {
            return step("second");
        }

        @Bean
        @Order(1)
        Middleware first() {
            return step("first");
        }
    }
}
