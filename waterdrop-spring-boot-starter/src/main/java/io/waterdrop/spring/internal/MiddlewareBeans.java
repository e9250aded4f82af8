package io.waterdrop.spring.internal;

import io.waterdrop.Middleware;
import io.waterdrop.ProducerConfig;
import io.waterdrop.spring.WaterDropMiddleware;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * Adds the context's {@link Middleware} beans, in {@code @Order} order and named by their bean names, to each
 * producer's configuration (so pool members get them too); a {@link WaterDropMiddleware} only where it applies.
 * Runs before other customizers, so middleware they add runs after the beans.
 */
public final class MiddlewareBeans implements WaterDropProducerCustomizer, Ordered {

    private final ListableBeanFactory beans;

    public MiddlewareBeans(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void customize(String producerName, ProducerConfig.Builder builder) {
        Map<Middleware, String> names = new IdentityHashMap<>();
        this.beans.getBeansOfType(Middleware.class).forEach((name, middleware) -> names.put(middleware, name));
        List<Middleware> ordered = this.beans.getBeanProvider(Middleware.class).orderedStream().toList();
        for (Middleware middleware : ordered) {
            if (middleware instanceof WaterDropMiddleware limited && !limited.appliesTo(producerName)) {
                continue;
            }
            builder.middleware(Middleware.named(names.getOrDefault(middleware, middleware.name()), middleware));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
