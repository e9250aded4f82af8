package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.ProducerPool;
import io.waterdrop.spring.WaterDropTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/** Which transaction managers {@link WaterDropTransactionAutoConfiguration} registers, and how they are found. */
class WaterDropTransactionAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WaterDropAutoConfiguration.class,
                WaterDropTransactionAutoConfiguration.class, TransactionAutoConfiguration.class))
        .withPropertyValues("waterdrop.producers.orders.kafka.transactional.id=orders-tx",
                "waterdrop.producers.audit.close-timeout=1s");

    @Test
    void whenAProducerIsTransactionalShouldRegisterAManagerNamedAndQualifiedByTheProducer() {
        this.runner.run((context) -> {
            assertThat(context.getBeansOfType(WaterDropTransactionManager.class))
                .containsOnlyKeys("waterdrop.transaction-managers.orders");
            assertThat(BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(),
                    TransactionManager.class, "orders"))
                .isSameAs(context.getBean("waterdrop.transaction-managers.orders"));
            assertThat(((WaterDropTransactionManager) context.getBean("waterdrop.transaction-managers.orders"))
                .getResourceFactory()).isSameAs(context.getBean("waterdrop.producers.orders"));
        });
    }

    @Test
    void whenAPoolIsTransactionalShouldRegisterAManagerOverThePoolNamedAndQualifiedByIt() {
        this.runner.withPropertyValues("waterdrop.producers.payments.pool-size=1",
                "waterdrop.producers.payments.kafka.transactional.id=payments-tx")
            .run((context) -> {
                assertThat(BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(),
                        TransactionManager.class, "payments"))
                    .isSameAs(context.getBean("waterdrop.transaction-managers.payments"));
                assertThat(((WaterDropTransactionManager) context.getBean("waterdrop.transaction-managers.payments"))
                    .getResourceFactory()).isSameAs(context.getBean("waterdrop.producers.payments"))
                    .isInstanceOf(ProducerPool.class);
            });
    }

    @Test
    void whenOnlyWaterDropManagersExistTransactionalProxiesShouldStillBeEnabled() {
        this.runner.run((context) -> assertThat(context)
            .hasBean("org.springframework.transaction.config.internalTransactionAdvisor"));
    }

    @Test
    void whenTheApplicationHasItsOwnManagerAnUnqualifiedLookupShouldStillGetIt() {
        this.runner.withBean("jdbcTransactionManager", PlatformTransactionManager.class, OwnManager::new)
            .run((context) -> {
                assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(OwnManager.class);
                assertThat(BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context,
                        PlatformTransactionManager.class))
                    .containsExactlyInAnyOrder("jdbcTransactionManager", "waterdrop.transaction-managers.orders");
            });
    }

    @Test
    void whenSpringTxIsMissingShouldRegisterNone() {
        this.runner.withClassLoader(new FilteredClassLoader(PlatformTransactionManager.class))
            .run((context) -> assertThat(context).doesNotHaveBean("waterdrop.transaction-managers.orders"));
    }

    static class OwnManager extends AbstractPlatformTransactionManager {

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, org.springframework.transaction.TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(org.springframework.transaction.support.DefaultTransactionStatus status) {
        }

        @Override
        protected void doRollback(org.springframework.transaction.support.DefaultTransactionStatus status) {
        }
    }
}
