package io.waterdrop.spring.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/** A {@link KafkaConnectionDetails} as Testcontainers or an application would supply it, with chosen values. */
public final class TestConnectionDetails {

    private TestConnectionDetails() {
    }

    /** Connection details with a security protocol (Java's spelling, e.g. SASL_SSL) and maybe an SSL bundle. */
    public static KafkaConnectionDetails of(String servers, String securityProtocol, @Nullable SslBundle sslBundle) {
        return new KafkaConnectionDetails() {

            @Override
            public List<String> getBootstrapServers() {
                return List.of(servers.split(","));
            }

            @Override
            public @Nullable SslBundle getSslBundle() {
                return sslBundle;
            }

            @Override
            public String getSecurityProtocol() {
                return securityProtocol;
            }
        };
    }
}
