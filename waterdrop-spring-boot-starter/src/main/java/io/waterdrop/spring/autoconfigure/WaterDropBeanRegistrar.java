package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Poller;
import io.waterdrop.Producer;
import io.waterdrop.spring.MultiplePrimaryProducersException;
import io.waterdrop.spring.UnknownPollerGroupException;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProperties;
import io.waterdrop.spring.internal.PollerGroups;
import io.waterdrop.spring.internal.WaterDropProducerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean per {@code waterdrop.producers} entry (or the {@code default} producer) and one per Poller
 * group a producer names in {@code polling.poller}. Bean names are the property paths
 * ({@code waterdrop.producers.orders}); each bean carries a {@link Qualifier} with the bare name, so
 * {@code @Qualifier("orders")} selects it.
 */
class WaterDropBeanRegistrar extends WaterDropPropertiesRegistrar {

    static final String PRODUCER_BEAN_PREFIX = "waterdrop.producers.";
    static final String POLLER_BEAN_PREFIX = "waterdrop.pollers.";

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        WaterDropProperties properties = properties();
        PollerGroups.namedByProducers(properties).forEach((group, producers) -> registry
            .registerBeanDefinition(POLLER_BEAN_PREFIX + group, pollerDefinition(group, producers.get(0))));
        List<String> names = producerNames(properties, registry);
        String primary = primaryProducer(properties, names);
        for (String name : names) {
            registry.registerBeanDefinition(PRODUCER_BEAN_PREFIX + name, producerDefinition(name,
                    name.equals(primary)));
        }
    }

    /** The configured producers; without any, {@code default} unless the application defines its own Producer. */
    private static List<String> producerNames(WaterDropProperties properties, BeanDefinitionRegistry registry) {
        if (!properties.getProducers().isEmpty()) {
            return List.copyOf(properties.getProducers().keySet());
        }
        if (registry instanceof ListableBeanFactory beans
                && beans.getBeanNamesForType(Producer.class, true, false).length > 0) {
            return List.of();
        }
        return List.of(WaterDropProperties.DEFAULT_PRODUCER);
    }

    /** The one marked primary, else {@code default} when it exists, else none. */
    private static String primaryProducer(WaterDropProperties properties, List<String> names) {
        List<String> marked = new ArrayList<>();
        for (Map.Entry<String, WaterDropProperties.Producer> entry : properties.getProducers().entrySet()) {
            if (entry.getValue().isPrimary()) {
                marked.add(entry.getKey());
            }
        }
        if (marked.size() > 1) {
            throw new MultiplePrimaryProducersException(marked);
        }
        if (marked.size() == 1) {
            return marked.get(0);
        }
        return names.contains(WaterDropProperties.DEFAULT_PRODUCER) ? WaterDropProperties.DEFAULT_PRODUCER : null;
    }

    private RootBeanDefinition producerDefinition(String name, boolean primary) {
        BeanFactory beans = beanFactory();
        RootBeanDefinition definition = new RootBeanDefinition(Producer.class,
                () -> beans.getBean(WaterDropProducerFactory.class).create(name));
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
        definition.setPrimary(primary);
        // Normally already closed by ProducersLifecycle; this covers a context that fails before it starts.
        definition.setDestroyMethodName("close");
        return definition;
    }

    private RootBeanDefinition pollerDefinition(String group, String producer) {
        BeanFactory beans = beanFactory();
        // Only an application's own WaterDropPollers bean can lack a group that a producer names.
        RootBeanDefinition definition = new RootBeanDefinition(Poller.class, () -> {
            WaterDropPollers pollers = beans.getBean(WaterDropPollers.class);
            return pollers.find(group).orElseThrow(() -> new UnknownPollerGroupException(producer, group,
                    List.copyOf(pollers.groups().keySet())));
        });
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, group));
        return definition;
    }
}
