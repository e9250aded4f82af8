package io.waterdrop.spring.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Reads the producer connection of Spring Boot's {@link KafkaConnectionDetails} bean (Testcontainers'
 * {@code @ServiceConnection}, spring-kafka's auto-configuration, or the application's own): its producer bootstrap
 * servers, security protocol and SSL bundle (as PEM, see {@link SslBundlePem}). Only loaded when spring-boot-kafka is
 * on the classpath.
 */
public final class KafkaConnectionDetailsConnection implements ExternalConnection, Ordered {

    public static final int ORDER = 0;

    /**
     * Spring Boot's adapter of {@code spring.kafka.*}, package-private there. It reports Boot's built-in
     * {@code localhost:9092} when nothing is configured, which must not pass for a configured address.
     */
    private static final String BOOT_PROPERTIES_ADAPTER =
            "org.springframework.boot.kafka.autoconfigure.PropertiesKafkaConnectionDetails";

    private final ObjectProvider<KafkaConnectionDetails> connectionDetails;
    private final Environment environment;

    public KafkaConnectionDetailsConnection(ObjectProvider<KafkaConnectionDetails> connectionDetails,
            Environment environment) {
        this.connectionDetails = connectionDetails;
        this.environment = environment;
    }

    @Override
    public @Nullable Found find() {
        KafkaConnectionDetails details = this.connectionDetails.getIfAvailable();
        if (details == null) {
            return null;
        }
        Class<?> type = details.getClass();
        // A lambda or anonymous class has no telling name; a named one does (ApacheKafkaContainerConnectionDetails).
        boolean named = !type.isHidden() && !type.isSynthetic() && !type.getSimpleName().isEmpty();
        String source = "Spring Boot's KafkaConnectionDetails bean" + (named ? " (" + type.getSimpleName() + ")" : "");
        if (type.getName().equals(BOOT_PROPERTIES_ADAPTER)) {
            String property = SpringKafkaPropertiesConnection.bootstrapServersProperty(Binder.get(this.environment));
            if (property == null) {
                return null;
            }
            source = property + " via Spring Boot's KafkaConnectionDetails";
        }
        // Producer-level settings, already resolved over the global ones by the bean (as Boot's own do).
        KafkaConnectionDetails.Configuration producer = details.getProducer();
        List<String> servers = producer.getBootstrapServers();
        if (servers == null || servers.isEmpty()) {
            return null;
        }
        Map<String, String> kafka = new LinkedHashMap<>();
        kafka.put("bootstrap.servers", String.join(",", servers));
        String protocol = producer.getSecurityProtocol();
        if (protocol != null && !protocol.isBlank()) {
            kafka.put("security.protocol", SpringKafkaPropertiesConnection.librdkafkaProtocol(protocol));
        }
        SslBundle bundle = producer.getSslBundle();
        if (bundle != null) {
            kafka.putAll(SslBundlePem.librdkafkaSettings(bundle, "the SSL bundle of " + source));
        }
        return new Found(kafka, source);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
