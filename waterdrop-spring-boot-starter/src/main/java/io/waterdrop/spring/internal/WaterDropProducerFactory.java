package io.waterdrop.spring.internal;

import io.waterdrop.ConfigurationException;
import io.waterdrop.Poller;
import io.waterdrop.PollingMode;
import io.waterdrop.Producer;
import io.waterdrop.ProducerConfig;
import io.waterdrop.ProducerPool;
import io.waterdrop.spring.InvalidProducerConfigurationException;
import io.waterdrop.spring.MissingSaslSettingsException;
import io.waterdrop.spring.PollerRequiresFdModeException;
import io.waterdrop.spring.UnknownPollerGroupException;
import io.waterdrop.spring.WaterDropPollers;
import io.waterdrop.spring.WaterDropProducerCustomizer;
import io.waterdrop.spring.WaterDropProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;

/**
 * Builds the producer named under {@code waterdrop.producers}: merges the librdkafka settings, resolves the bootstrap
 * servers and the Poller, applies the customizers and turns every rejection into an exception that says which
 * producer and which property.
 *
 * <p>Bootstrap servers, first found wins: the producer's {@code kafka.bootstrap.servers}, {@code waterdrop.kafka},
 * the {@link ExternalConnection}s in order (Spring Boot's KafkaConnectionDetails bean, then
 * {@code spring.kafka.producer.bootstrap-servers}, {@code spring.kafka.bootstrap-servers}),
 * {@value #FALLBACK_BOOTSTRAP_SERVERS}. The choice is logged once per producer, with a warning for the fallback.
 */
public final class WaterDropProducerFactory {

    /** Bootstrap servers when nothing else names any. */
    public static final String FALLBACK_BOOTSTRAP_SERVERS = "localhost:9092";

    private static final Logger log = LoggerFactory.getLogger(WaterDropProducerFactory.class);
    private static final String FALLBACK_SOURCE = "the default bootstrap servers";
    private static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    private static final String SECURITY_PROTOCOL = "security.protocol";
    private static final String TRANSACTIONAL_ID = "transactional.id";
    /** librdkafka's older name for bootstrap.servers; a producer that sets it needs no fallback. */
    private static final String METADATA_BROKER_LIST = "metadata.broker.list";

    private final WaterDropProperties properties;
    private final WaterDropPollers pollers;
    private final Supplier<Stream<WaterDropProducerCustomizer>> customizers;
    private final Supplier<Stream<ExternalConnection>> externalConnections;

    /**
     * @param customizers the customizers, in order (e.g. {@code ObjectProvider::orderedStream})
     * @param externalConnections sources of connection settings outside {@code waterdrop.*}, in order; the first
     * that finds one wins
     */
    public WaterDropProducerFactory(WaterDropProperties properties, WaterDropPollers pollers,
            Supplier<Stream<WaterDropProducerCustomizer>> customizers,
            Supplier<Stream<ExternalConnection>> externalConnections) {
        this.properties = properties;
        this.pollers = pollers;
        this.customizers = customizers;
        this.externalConnections = externalConnections;
    }

    /**
     * Builds (without connecting) the producer {@code name}; a name without {@code waterdrop.producers} entry gets
     * the defaults.
     *
     * @throws UnknownPollerGroupException when the producer names a group that does not exist
     * @throws PollerRequiresFdModeException when the producer names a group in thread mode
     * @throws InvalidProducerConfigurationException when a setting is rejected
     * @throws MissingSaslSettingsException when Spring Boot's connection asks for SASL and no sasl.* is set
     * @throws io.waterdrop.LibraryUnavailableException when librdkafka cannot be loaded
     */
    public Producer create(String name) {
        Configured configured = configure(name);
        try {
            Producer producer = new Producer(configured.config);
            logBootstrapServers(name, configured.prefix, configured.kafka, configured.config);
            return producer;
        }
        catch (ConfigurationException ex) {
            throw configured.rejected(name, ex);
        }
    }

    /**
     * Builds the {@link ProducerPool} of the entry {@code name}, whose {@code pool-size} is set: its members get the
     * producer's configuration with {@code transactional.id}-index.
     *
     * @throws InvalidProducerConfigurationException when the size is below 1 or no transactional.id is set, and
     * for every rejection {@link #create} reports
     */
    public ProducerPool createPool(String name) {
        Configured configured = configure(name);
        WaterDropProperties.Producer settings = this.properties.getProducers().get(name);
        Integer size = (settings != null) ? settings.getPoolSize() : null;
        if (size == null || size < 1) {
            throw new InvalidProducerConfigurationException(name, configured.prefix + "pool-size",
                    new ConfigurationException("pool-size", "pool-size must be at least 1 but was " + size));
        }
        if (!configured.config.kafka().containsKey(TRANSACTIONAL_ID)) {
            throw new InvalidProducerConfigurationException(name, configured.prefix + "pool-size",
                    new ConfigurationException("kafka." + TRANSACTIONAL_ID, "pool-size needs a transactional.id: set "
                            + configured.prefix + "kafka.transactional.id (member i uses <transactional.id>-i), or "
                            + "remove pool-size for a single producer"));
        }
        try {
            ProducerPool pool = ProducerPool.builder(configured.config).size(size).build();
            logBootstrapServers(name, configured.prefix, configured.kafka, configured.config);
            return pool;
        }
        catch (ConfigurationException ex) {
            throw configured.rejected(name, ex);
        }
    }

    /** The configuration of entry {@code name}: properties, bootstrap servers, Poller, then the customizers. */
    private Configured configure(String name) {
        WaterDropProperties.Producer settings = this.properties.getProducers().get(name);
        if (settings == null) {
            settings = new WaterDropProperties.Producer();
        }
        String prefix = "waterdrop.producers." + name + ".";
        KafkaSettings kafka = kafkaSettings(prefix, settings);
        ProducerConfig.Builder builder = ProducerConfig.builder().name(name).kafka(kafka.values);
        applyPolling(name, settings.getPolling(), builder);
        // Empty values ("close-timeout:") bind as null: they keep core's defaults.
        PropertyMapper map = PropertyMapper.get();
        map.from(settings::getMaxWaitTimeout).to(builder::maxWaitTimeout);
        map.from(settings::getTopics).to(builder::topics);
        map.from(settings::getQueueFullTimeout).to(builder::queueFullTimeout);
        map.from(settings::getCloseTimeout).to(builder::closeTimeout);
        map.from(settings::getMaxPayloadSize).as((size) -> payloadSize(name, prefix, size))
            .to(builder::maxPayloadSize);
        map.from(settings::getTransactionAttemptTimeout).to(builder::transactionAttemptTimeout);
        map.from(settings::isReloadOnTransactionFatalError).to(builder::reloadOnTransactionFatalError);
        map.from(settings::isReloadOnIdempotentFatalError).to(builder::reloadOnIdempotentFatalError);
        map.from(settings::getMaxFatalErrorReloads).to(builder::maxFatalErrorReloads);
        map.from(settings::getFatalErrorReloadBackoff).to(builder::fatalErrorReloadBackoff);
        map.from(settings::getIdleDisconnectTimeout).to(builder::idleDisconnectTimeout);
        // Validate what the properties alone say first, so a rejection can name the property as its source.
        build(name, builder, (key) -> prefix + key);
        this.customizers.get().forEach((customizer) -> customizer.customize(name, builder));
        ProducerConfig config = build(name, builder, (key) -> prefix + key + " or a WaterDropProducerCustomizer");
        checkSasl(name, prefix, kafka, config);
        return new Configured(prefix, kafka, config);
    }

    private record Configured(String prefix, KafkaSettings kafka, ProducerConfig config) {

        InvalidProducerConfigurationException rejected(String name, ConfigurationException ex) {
            return new InvalidProducerConfigurationException(name, this.kafka.sourceOf(ex.key(), this.config.kafka()),
                    ex);
        }
    }

    private KafkaSettings kafkaSettings(String prefix, WaterDropProperties.Producer settings) {
        KafkaSettings kafka = new KafkaSettings();
        kafka.putAll(this.properties.getKafka(), "waterdrop.kafka.");
        kafka.putAll(settings.getKafka(), prefix + "kafka.");
        if (kafka.values.containsKey(BOOTSTRAP_SERVERS) || kafka.values.containsKey(METADATA_BROKER_LIST)) {
            return kafka;
        }
        ExternalConnection.Found found = this.externalConnections.get()
            .map(ExternalConnection::find)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
        if (found == null) {
            kafka.put(BOOTSTRAP_SERVERS, FALLBACK_BOOTSTRAP_SERVERS, FALLBACK_SOURCE);
            return kafka;
        }
        // The servers, their security protocol and TLS material are one connection; explicit settings still win
        // key by key, and TLS material given as a file or keystore replaces the bundle's PEM of the same kind.
        found.kafka().forEach((key, value) -> {
            if (!kafka.values.containsKey(key) && !SslBundlePem.setOtherwise(key, kafka.values)) {
                kafka.put(key, value, found.source());
            }
        });
        kafka.external = found;
        return kafka;
    }

    /**
     * A SASL protocol from Spring Boot's connection with no {@code sasl.*} setting would make librdkafka fall back
     * to Kerberos (GSSAPI) and fail with a cryptic Kerberos error, or only when it connects: fail clearly instead.
     */
    private static void checkSasl(String name, String prefix, KafkaSettings kafka, ProducerConfig config) {
        String protocol = config.kafka().get(SECURITY_PROTOCOL);
        if (kafka.external == null || protocol == null || !protocol.startsWith("sasl_")
                || !kafka.external.source().equals(kafka.sourceOf("kafka." + SECURITY_PROTOCOL, config.kafka()))) {
            return;
        }
        if (config.kafka().keySet().stream().noneMatch((key) -> key.startsWith("sasl."))) {
            throw new MissingSaslSettingsException(name, protocol, kafka.external.source(), prefix + "kafka");
        }
    }

    private static void logBootstrapServers(String name, String prefix, KafkaSettings kafka, ProducerConfig config) {
        String key = config.kafka().containsKey(BOOTSTRAP_SERVERS) ? BOOTSTRAP_SERVERS : METADATA_BROKER_LIST;
        String servers = config.kafka().get(key);
        String source = kafka.sourceOf("kafka." + key, config.kafka());
        if (FALLBACK_SOURCE.equals(source)) {
            log.warn("WaterDrop producer '{}' uses bootstrap servers {}, the default: none of "
                    + "{}kafka.bootstrap.servers, waterdrop.kafka.bootstrap.servers, a KafkaConnectionDetails bean, "
                    + "spring.kafka.producer.bootstrap-servers or spring.kafka.bootstrap-servers is set", name,
                    servers, prefix);
        }
        else {
            log.info("WaterDrop producer '{}' uses bootstrap servers {} (from {})", name, servers, source);
        }
    }

    private void applyPolling(String name, WaterDropProperties.Polling polling, ProducerConfig.Builder builder) {
        PropertyMapper map = PropertyMapper.get();
        map.from(polling::getMode).to(builder::pollingMode);
        map.from(polling.getFd()::getMaxTime).to(builder::fdMaxTime);
        map.from(polling.getFd()::getPeriodicPollInterval).to(builder::fdPeriodicPollInterval);
        map.from(polling.getThread()::getPollTimeout).to(builder::threadPollTimeout);
        String group = polling.getPoller();
        if (group == null || group.isBlank()) {
            return;
        }
        if (polling.getMode() == PollingMode.THREAD) {
            throw new PollerRequiresFdModeException(name, group);
        }
        Poller poller = this.pollers.find(group).orElseThrow(() -> new UnknownPollerGroupException(name, group,
                List.copyOf(this.pollers.groups().keySet())));
        builder.poller(poller);
    }

    private static int payloadSize(String name, String prefix, DataSize size) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new InvalidProducerConfigurationException(name, prefix + "max-payload-size",
                    new ConfigurationException("max-payload-size", "max-payload-size must be at most "
                            + Integer.MAX_VALUE + " bytes but was " + bytes));
        }
        return (int) bytes;
    }

    private static ProducerConfig build(String name, ProducerConfig.Builder builder,
            Function<String, String> source) {
        try {
            return builder.build();
        }
        catch (ConfigurationException ex) {
            throw new InvalidProducerConfigurationException(name, source.apply(ex.key()), ex);
        }
    }

    /** librdkafka settings with the property each one came from. */
    private static final class KafkaSettings {

        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> sources = new LinkedHashMap<>();
        /** The connection found outside waterdrop.*, if the properties named no bootstrap servers. */
        private ExternalConnection.@Nullable Found external;

        void putAll(Map<String, String> settings, String propertyPrefix) {
            settings.forEach((key, value) -> put(key, value, propertyPrefix + key));
        }

        void put(String key, String value, String source) {
            this.values.put(key, value);
            this.sources.put(key, source);
        }

        /**
         * Where a rejected setting came from. {@code key} is core's, e.g. {@code kafka.linger.ms}, or just
         * {@code kafka} when librdkafka rejected the combination.
         */
        String sourceOf(String key, Map<String, String> effective) {
            if (!key.startsWith("kafka.")) {
                return "the librdkafka settings (waterdrop.kafka merged with the producer's kafka)";
            }
            String kafkaKey = key.substring("kafka.".length());
            String source = this.sources.get(kafkaKey);
            String value = this.values.get(kafkaKey);
            if (source != null && value != null && value.equals(effective.get(kafkaKey))) {
                return source;
            }
            return "a WaterDropProducerCustomizer";
        }
    }
}
