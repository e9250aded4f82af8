package io.waterdrop.spring;

import io.waterdrop.Message;
import io.waterdrop.Middleware;
import java.util.Set;

/**
 * A {@link Middleware} bean limited to some producers. Every {@code Middleware} bean of the context is added to the
 * chain of every auto-configured producer (pool members included), in
 * {@link org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered} order and
 * named by its bean name; a {@code WaterDropMiddleware} bean only to the producers {@link #appliesTo} accepts.
 *
 * <pre>{@code
 * @Bean
 * @Order(1)
 * WaterDropMiddleware tenantHeader() {
 *     return WaterDropMiddleware.forProducers(Set.of("orders"),
 *             message -> message.toBuilder().header("tenant", tenant()).build());
 * }
 * }</pre>
 */
public interface WaterDropMiddleware extends Middleware {

    /**
     * Whether this middleware runs for the producer with this name (the key under {@code waterdrop.producers}).
     * All producers by default.
     */
    default boolean appliesTo(String producerName) {
        return true;
    }

    /** {@code middleware}, only for the producers named. */
    static WaterDropMiddleware forProducers(Set<String> producerNames, Middleware middleware) {
        Set<String> names = Set.copyOf(producerNames);
        return new WaterDropMiddleware() {
            @Override
            public Message apply(Message message) {
                return middleware.apply(message);
            }

            @Override
            public boolean appliesTo(String producerName) {
                return names.contains(producerName);
            }

            @Override
            public String name() {
                return middleware.name();
            }
        };
    }
}
