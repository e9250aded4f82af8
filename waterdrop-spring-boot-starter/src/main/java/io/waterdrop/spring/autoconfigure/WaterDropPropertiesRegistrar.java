package io.waterdrop.spring.autoconfigure;

import io.waterdrop.spring.WaterDropProperties;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;

/**
 * A registrar that registers beans from {@code waterdrop.*} properties, bound before any bean exists; the beans it
 * registers are created later through {@link #beanFactory()}.
 */
abstract class WaterDropPropertiesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware,
        BeanFactoryAware {

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    WaterDropProperties properties() {
        return Binder.get(this.environment).bindOrCreate("waterdrop", WaterDropProperties.class);
    }

    BeanFactory beanFactory() {
        return this.beanFactory;
    }
}
