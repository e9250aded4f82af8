package io.waterdrop.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.DeliveryReport;
import io.waterdrop.Message;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.internal.nativelib.NativeLibraries;
import io.waterdrop.test.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Delivery-report timestamps read from librdkafka's message memory mean what {@code rd_kafka_message_timestamp}
 * returns: the producer's CreateTime (ProduceTest), or the broker's LogAppendTime when the topic says so.
 */
class DeliveryTimestampsTest {

    @Test
    void theInstalledLibrdkafkaPassesTheLayoutProbe() {
        // librdkafka 2.0.2 here (and in CI): the memory read is in use, so the test below exercises it.
        assertThat(DeliveryTimestamps.fromMemory(NativeLibraries.rdkafka())).isTrue();
    }

    @Test
    void aLogAppendTimeTopicReportsTheBrokersTimestampNotTheProducers() throws Exception {
        String topic = "log-append-" + UUID.randomUUID().toString().substring(0, 8);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
        }
        long given = 1_000_000_000_000L; // 2001: far from the broker's clock
        DeliveryReport report;
        try (Producer producer = Producer.create(ProducerConfig.builder().name("log-append-time")
                .bootstrapServers(KafkaBroker.bootstrapServers()).pollingMode(PollingMode.FD).build())) {
            report = producer.produceSync(Message.builder(topic).payload("x").timestamp(given).build());
        }

        List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.read(topic, 1);
        assertThat(records.get(0).timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(report.timestamp()).isEqualTo(records.get(0).timestamp()).isNotEqualTo(given);
    }
}
