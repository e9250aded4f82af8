package io.waterdrop.spring.autoconfigure;

import io.waterdrop.Producer;
import io.waterdrop.spring.WaterDropTransactionManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of a {@link WaterDropTransactionManager} per transactional
 * producer (see {@link WaterDropTransactionManagerRegistrar} for names), when spring-tx is on the classpath. Runs
 * after the JDBC transaction manager's auto-configuration, which backs off when any transaction manager exists.
 */
@AutoConfiguration(after = WaterDropAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        beforeName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnClass({ Producer.class, PlatformTransactionManager.class })
@Import(WaterDropTransactionManagerRegistrar.class)
public final class WaterDropTransactionAutoConfiguration {

}
