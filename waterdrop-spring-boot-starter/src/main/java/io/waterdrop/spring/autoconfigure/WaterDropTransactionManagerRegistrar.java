package io.waterdrop.spring.autoconfigure;

import io.waterdrop.spring.WaterDropProperties;
import io.waterdrop.spring.WaterDropTransactionManager;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a {@link WaterDropTransactionManager} for every {@code waterdrop.producers} entry whose librdkafka
 * settings (its own {@code kafka} or {@code waterdrop.kafka}) set {@code transactional.id}, over its Producer or, with
 * {@code pool-size}, its ProducerPool: bean
 * {@code waterdrop.transaction-managers.<name>} with qualifier {@code <name>}, so {@code @Transactional("orders")}
 * selects it. It is not a default candidate: a plain {@code @Transactional} or {@code PlatformTransactionManager}
 * injection still gets the application's own (JDBC) manager.
 */
class WaterDropTransactionManagerRegistrar implements ImportBeanDefinitionRegistrar {

    static final String BEAN_PREFIX = "waterdrop.transaction-managers.";

    private static final String TRANSACTIONAL_ID = "transactional.id";

    private final Environment environment;

    WaterDropTransactionManagerRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (String name : transactionalProducers(this.environment)) {
            if (!registry.containsBeanDefinition(BEAN_PREFIX + name)) {
                registry.registerBeanDefinition(BEAN_PREFIX + name, definition(name));
            }
        }
    }

    /**
     * The {@code waterdrop.producers} entries whose librdkafka settings set {@code transactional.id}: producers and
     * pools ({@code pool-size}) alike, the manager taking either bean.
     */
    static List<String> transactionalProducers(Environment environment) {
        WaterDropProperties properties = Binder.get(environment).bindOrCreate("waterdrop", WaterDropProperties.class);
        boolean global = properties.getKafka().containsKey(TRANSACTIONAL_ID);
        return properties.getProducers()
            .entrySet()
            .stream()
            .filter((entry) -> global || entry.getValue().getKafka().containsKey(TRANSACTIONAL_ID))
            .map(Map.Entry::getKey)
            .toList();
    }

    private static RootBeanDefinition definition(String name) {
        RootBeanDefinition definition = new RootBeanDefinition(WaterDropTransactionManager.class);
        definition.getConstructorArgumentValues()
            .addIndexedArgumentValue(0, new RuntimeBeanReference(WaterDropBeanRegistrar.PRODUCER_BEAN_PREFIX + name));
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
        definition.setDefaultCandidate(false);
        return definition;
    }
}
