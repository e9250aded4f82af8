package io.waterdrop.spring.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Reads Spring Boot's own {@code spring.kafka.*} connection properties, so that they reach WaterDrop producers
 * without spring-kafka or spring-boot-kafka on the classpath. Follows Spring Boot's
 * {@code PropertiesKafkaConnectionDetails}: {@code spring.kafka.producer.bootstrap-servers} wins over
 * {@code spring.kafka.bootstrap-servers} (each a list or a comma-separated string), and
 * {@code spring.kafka.producer.security.protocol} over {@code spring.kafka.security.protocol}, and
 * {@code spring.kafka.producer.ssl.bundle} over {@code spring.kafka.ssl.bundle} (as PEM, see {@link SslBundlePem}).
 *
 * <p>Not read: {@code client-id} (each WaterDrop producer has its own, {@code waterdrop-<name>}),
 * {@code spring.kafka.properties.*} and {@code spring.kafka.jaas.*} (Java client settings, many unknown to
 * librdkafka), the other {@code spring.kafka.ssl.*} properties. Unlike Spring Boot, an unset
 * {@code bootstrap-servers} is not taken as {@code localhost:9092}: it finds nothing.
 */
public final class SpringKafkaPropertiesConnection implements ExternalConnection, Ordered {

    /** After {@link KafkaConnectionDetailsConnection}: a connection details bean wins, as in Spring Boot. */
    public static final int ORDER = KafkaConnectionDetailsConnection.ORDER + 10;

    static final String PRODUCER_BOOTSTRAP_SERVERS = "spring.kafka.producer.bootstrap-servers";
    static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";
    private static final String PRODUCER_SECURITY_PROTOCOL = "spring.kafka.producer.security.protocol";
    private static final String SECURITY_PROTOCOL = "spring.kafka.security.protocol";
    private static final String PRODUCER_SSL_BUNDLE = "spring.kafka.producer.ssl.bundle";
    private static final String SSL_BUNDLE = "spring.kafka.ssl.bundle";

    private final Environment environment;
    private final Supplier<@Nullable SslBundles> sslBundles;

    /** @param sslBundles Spring Boot's SSL bundles ({@code spring.ssl.bundle.*}), if any */
    public SpringKafkaPropertiesConnection(Environment environment, Supplier<@Nullable SslBundles> sslBundles) {
        this.environment = environment;
        this.sslBundles = sslBundles;
    }

    @Override
    public @Nullable Found find() {
        Binder binder = Binder.get(this.environment);
        String property = bootstrapServersProperty(binder);
        if (property == null) {
            return null;
        }
        Map<String, String> kafka = new LinkedHashMap<>();
        kafka.put("bootstrap.servers", String.join(",", servers(binder, property)));
        String protocol = text(binder, PRODUCER_SECURITY_PROTOCOL);
        if (protocol == null) {
            protocol = text(binder, SECURITY_PROTOCOL);
        }
        if (protocol != null) {
            kafka.put("security.protocol", librdkafkaProtocol(protocol));
        }
        String bundleProperty = text(binder, PRODUCER_SSL_BUNDLE) != null ? PRODUCER_SSL_BUNDLE : SSL_BUNDLE;
        String bundleName = text(binder, bundleProperty);
        if (bundleName != null) {
            kafka.putAll(SslBundlePem.librdkafkaSettings(sslBundle(bundleProperty, bundleName),
                    "SSL bundle '" + bundleName + "' (" + bundleProperty + ")"));
        }
        return new Found(kafka, property);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** The property that sets the producer's bootstrap servers, producer-level first; {@code null} for none. */
    static @Nullable String bootstrapServersProperty(Binder binder) {
        if (!servers(binder, PRODUCER_BOOTSTRAP_SERVERS).isEmpty()) {
            return PRODUCER_BOOTSTRAP_SERVERS;
        }
        return servers(binder, BOOTSTRAP_SERVERS).isEmpty() ? null : BOOTSTRAP_SERVERS;
    }

    private SslBundle sslBundle(String property, String name) {
        SslBundles bundles = this.sslBundles.get();
        if (bundles == null) {
            // As Spring Boot does for the same property.
            throw new IllegalStateException(property + "=" + name + " is set but no SSL bundles (spring.ssl.bundle.*) "
                    + "exist in the context");
        }
        return bundles.getBundle(name);
    }

    /** The Java client spells it SASL_SSL, librdkafka sasl_ssl. */
    static String librdkafkaProtocol(String protocol) {
        return protocol.trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> servers(Binder binder, String property) {
        // The binder takes a YAML list as well as "a:9092,b:9092", like Spring Boot's own List<String> property.
        return binder.bind(property, Bindable.listOf(String.class))
            .orElse(List.of())
            .stream()
            .map(String::trim)
            .filter((server) -> !server.isEmpty())
            .toList();
    }

    private static @Nullable String text(Binder binder, String property) {
        String value = binder.bind(property, String.class).map(String::trim).orElse("");
        return value.isEmpty() ? null : value;
    }
}
