package io.waterdrop.spring.internal.diagnostics;

import io.waterdrop.spring.MissingSaslSettingsException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a SASL protocol from Spring Boot's Kafka connection without any librdkafka {@code sasl.*} setting. */
class MissingSaslSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingSaslSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingSaslSettingsException cause) {
        String description = String.format("WaterDrop producer '%s' connects with security.protocol=%s, taken from "
                + "%s, but no librdkafka sasl.* setting is configured for it (in waterdrop.kafka or %s). librdkafka "
                + "would fall back to its default sasl.mechanism GSSAPI (Kerberos) and fail with an error about "
                + "Kerberos settings, or only when it connects.",
                cause.producer(), cause.securityProtocol(), cause.source(), cause.producerKafkaProperty());
        String action = String.format("Add librdkafka's SASL settings under waterdrop.kafka (or %s): sasl.mechanism "
                + "(PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER) with sasl.username and sasl.password; for "
                + "Kerberos set sasl.mechanism: GSSAPI explicitly. spring.kafka.properties.sasl.* and "
                + "spring.kafka.jaas.* are Java client settings that WaterDrop does not read.",
                cause.producerKafkaProperty());
        return new FailureAnalysis(description, action, cause);
    }
}
