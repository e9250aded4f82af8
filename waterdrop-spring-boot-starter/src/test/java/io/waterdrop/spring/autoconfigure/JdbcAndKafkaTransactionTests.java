package io.waterdrop.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.waterdrop.Message;
import io.waterdrop.Producer;
import io.waterdrop.test.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring's best-effort synchronisation with a real JDBC transaction: Boot's embedded H2 DataSource and its
 * DataSourceTransactionManager (the default manager) around a method that inserts a row and produces through the
 * transactional producer {@code orders}, as a read_committed consumer and a second database connection see it.
 */
class JdbcAndKafkaTransactionTests {

    private static ConfigurableApplicationContext context;
    private static OrderService service;
    private static DataSource dataSource;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    private static volatile String topic;

    @BeforeAll
    static void startApplication() {
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
            .properties("waterdrop.kafka.bootstrap.servers=" + KafkaBroker.bootstrapServers(),
                    "waterdrop.producers.orders.kafka.transactional.id=jdbc-orders-" + System.nanoTime())
            .run();
        service = context.getBean(OrderService.class);
        dataSource = context.getBean(DataSource.class);
        context.getBean(JdbcTemplate.class)
            .execute("create table orders (id varchar(64) primary key, topic varchar(255))");
        // Listeners run on the thread that commits: what a second connection sees here is what the database had
        // committed when Kafka committed.
        context.getBean("waterdrop.producers.orders", Producer.class).monitor().subscribe((event) -> {
            if (event.type().startsWith("transaction.")) {
                events.add(event.type() + " rows=" + committedRows());
            }
        });
    }

    @AfterAll
    static void stopApplication() {
        context.close();
    }

    @BeforeEach
    void newTopic() {
        topic = KafkaBroker.newTopic("spring-jdbc-tx");
        events.clear();
    }

    @Test
    void theDefaultTransactionManagerIsTheJdbcOne() {
        assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(DataSourceTransactionManager.class);
    }

    @Test
    void whenTheMethodReturnsTheRowIsCommittedAndTheMessageIsVisible() {
        service.place(topic, "order-1", false);
        assertThat(committedRows()).isEqualTo(1);
        assertThat(visible(1)).containsExactly("order-1");
    }

    @Test
    void whenTheMethodThrowsAfterBothTheRowIsRolledBackAndNothingIsVisible() {
        assertThatThrownBy(() -> service.place(topic, "order-2", true))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("payment declined for order-2");
        assertThat(committedRows()).isZero();
        assertThat(events).containsExactly("transaction.started rows=0", "transaction.aborted rows=0");
        // A committed order after the aborted one: a read_committed consumer sees it first, and only it.
        service.place(topic, "order-3", false);
        assertThat(visible(1)).containsExactly("order-3");
    }

    @Test
    void theKafkaCommitRunsAfterTheDatabaseCommitted() {
        service.place(topic, "order-4", false);
        // Started while the row was uncommitted (invisible to another connection); committed once it was visible.
        assertThat(events).containsExactly("transaction.started rows=0", "transaction.committed rows=1");
        assertThat(visible(1)).containsExactly("order-4");
    }

    private List<String> visible(int expected) {
        return KafkaBroker.read(topic, expected, Duration.ofSeconds(30), true)
            .stream()
            .map((r) -> new String(r.value(), StandardCharsets.UTF_8))
            .toList();
    }

    /** Rows of this test's topic as a second connection sees them: committed ones only. */
    private static int committedRows() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from orders where topic = ?")) {
            count.setString(1, topic);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, WaterDropAutoConfiguration.class,
            WaterDropTransactionAutoConfiguration.class })
    static class Application {

        @Bean
        OrderService orderService(JdbcTemplate jdbc, @Qualifier("orders") Producer orders) {
            return new OrderService(jdbc, orders);
        }
    }

    /** Inserts the order and produces it in the default (JDBC) transaction; {@code fail} throws after both. */
    public static class OrderService {

        private final JdbcTemplate jdbc;
        private final Producer orders;

        OrderService(JdbcTemplate jdbc, Producer orders) {
            this.jdbc = jdbc;
            this.orders = orders;
        }

        @Transactional
        public void place(String topic, String id, boolean fail) {
            this.jdbc.update("insert into orders (id, topic) values (?, ?)", id, topic);
            this.orders.produceSync(Message.of(topic, id));
            if (fail) {
                throw new IllegalStateException("payment declined for " + id);
            }
        }
    }
}
