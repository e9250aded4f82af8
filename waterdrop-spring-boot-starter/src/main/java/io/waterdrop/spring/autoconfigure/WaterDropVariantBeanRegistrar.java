package io.waterdrop.spring.autoconfigure;

import io.waterdrop.ProducerVariant;
import io.waterdrop.spring.WaterDropVariants;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ProducerVariant} bean per {@code waterdrop.producers.<producer>.variants.<variant>} entry,
 * named by that property path and qualified {@code <producer>.<variant>}. The variant itself comes from
 * {@link WaterDropVariants}, which creates and checks them all; closing the producer ends its variants.
 */
class WaterDropVariantBeanRegistrar extends WaterDropPropertiesRegistrar {

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        properties().getProducers().forEach((producer, entry) -> entry.getVariants().keySet().forEach(variant -> {
            BeanFactory beans = beanFactory();
            RootBeanDefinition definition = new RootBeanDefinition(ProducerVariant.class,
                    () -> beans.getBean(WaterDropVariants.class).get(producer, variant));
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class,
                    WaterDropVariants.qualifier(producer, variant)));
            registry.registerBeanDefinition(
                    WaterDropBeanRegistrar.PRODUCER_BEAN_PREFIX + producer + ".variants." + variant, definition);
        }));
    }
}
