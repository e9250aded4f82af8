package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropTransactionManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.AbstractTransactionManagementConfiguration;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of a {@link WaterDropTransactionManager} per transactional
 * producer (see {@link WaterDropTransactionManagerRegistrar} for names), when spring-tx is on the classpath. Runs
 * after the JDBC and JPA transaction managers' auto-configurations, which back off when any transaction manager
 * exists.
 * Spring Boot enables {@code @Transactional} only when a default-candidate transaction manager exists, which ours
 * are not, so this enables it (class-based proxies, Boot's default) when the application has not.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class,
        afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
                "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration" },
        beforeName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnClass({ Producer.class, PlatformTransactionManager.class })
@Import(WaterDropTransactionManagerRegistrar.class)
public final class WaterDropTransactionAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Conditional(OnTransactionalProducerCondition.class)
    @ConditionalOnMissingBean(AbstractTransactionManagementConfiguration.class)
    @EnableTransactionManagement(proxyTargetClass = true)
    static class EnableTransactionManagementConfiguration {

    }

    /** Matches when a {@code waterdrop.producers} entry sets {@code transactional.id}. */
    static class OnTransactionalProducerCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var names = WaterDropTransactionManagerRegistrar.transactionalProducers(context.getEnvironment());
            return names.isEmpty() ? ConditionOutcome.noMatch("no WaterDrop producer sets transactional.id")
                    : ConditionOutcome.match("transactional WaterDrop producers " + names);
        }
    }
}
