package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Middleware;
import io.waterdrop.Producer;
import io.waterdrop.spring.internal.MiddlewareBeans;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that adds the application's {@link Middleware} beans to every
 * auto-configured producer's chain, in {@code @Order} order ({@link io.waterdrop.spring.WaterDropMiddleware} limits
 * one to some producers).
 */
@AutoConfiguration(before = WaterDropAutoConfiguration.class)
@ConditionalOnClass(Producer.class)
@ConditionalOnBean(Middleware.class)
public final class WaterDropMiddlewareAutoConfiguration {

    @Bean
    MiddlewareBeans waterDropMiddlewareBeans(ListableBeanFactory beans) {
        return new MiddlewareBeans(beans);
    }
}
