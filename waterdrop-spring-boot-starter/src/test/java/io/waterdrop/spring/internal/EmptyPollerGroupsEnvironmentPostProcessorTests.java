package io.waterdrop.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.spring.WaterDropProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

/** Poller groups written without settings still exist after Spring Boot flattened the configuration. */
class EmptyPollerGroupsEnvironmentPostProcessorTests {

    private final StandardEnvironment environment = new StandardEnvironment();

    @Test
    void whenYamlGroupIsEmptyMappingShouldDefineItWithDefaults() throws IOException {
        addYaml("""
                waterdrop:
                  pollers:
                    critical: {}
                  producers:
                    orders: { polling: { poller: critical } }
                """, 0);
        assertThat(postProcessedGroups()).containsOnlyKeys("critical");
        assertThat(postProcessedGroups().get("critical").getPollTimeout())
            .isEqualTo(new WaterDropProperties.Poller().getPollTimeout());
    }

    @Test
    void whenYamlGroupHasNoValueShouldDefineIt() throws IOException {
        addYaml("""
                waterdrop:
                  pollers:
                    critical:
                    bulk: { poll-timeout: 250ms }
                """, 0);
        assertThat(postProcessedGroups()).containsOnlyKeys("critical", "bulk");
        assertThat(postProcessedGroups().get("bulk").getPollTimeout().toMillis()).isEqualTo(250);
    }

    @Test
    void whenPropertyGroupIsBlankShouldDefineIt() {
        this.environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "waterdrop.pollers.critical", "", "waterdrop.pollers.bulk", "{}")));
        assertThat(postProcessedGroups()).containsOnlyKeys("critical", "bulk");
    }

    @Test
    void whenGroupHasSettingsElsewhereShouldAddNothing() throws IOException {
        addYaml("""
                waterdrop:
                  pollers:
                    critical: {}
                  kafka: { acks: all }
                """, 0);
        this.environment.getPropertySources().addFirst(new MapPropertySource("override",
                Map.of("waterdrop.pollers.critical.poll-timeout", "300ms")));
        new EmptyPollerGroupsEnvironmentPostProcessor().postProcessEnvironment(this.environment, null);
        assertThat(this.environment.getPropertySources()
            .contains(EmptyPollerGroupsEnvironmentPostProcessor.SOURCE_NAME)).isFalse();
        assertThat(bindGroups().get("critical").getPollTimeout().toMillis()).isEqualTo(300);
    }

    @Test
    void whenEmptyGroupIsInDocumentThatIsNotActiveShouldNotDefineIt() throws IOException {
        String yaml = """
                waterdrop:
                  pollers:
                    critical: {}
                  kafka: { acks: all }
                ---
                spring.config.activate.on-profile: batch
                waterdrop:
                  pollers:
                    bulk: {}
                  kafka: { linger.ms: "100" }
                """;
        addYaml(yaml, 0); // only the first document is active, as without the "batch" profile
        assertThat(postProcessedGroups()).containsOnlyKeys("critical");
    }

    @Test
    void whenNoWaterdropConfigurationShouldAddNothing() throws IOException {
        addYaml("""
                spring:
                  application:
                    name: demo
                """, 0);
        new EmptyPollerGroupsEnvironmentPostProcessor().postProcessEnvironment(this.environment, null);
        assertThat(this.environment.getPropertySources()
            .contains(EmptyPollerGroupsEnvironmentPostProcessor.SOURCE_NAME)).isFalse();
    }

    private void addYaml(String yaml, int document) throws IOException {
        List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("application.yml",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml") {
                    @Override
                    public String getFilename() {
                        return "application.yml";
                    }
                });
        this.environment.getPropertySources().addFirst(documents.get(document));
    }

    private Map<String, WaterDropProperties.Poller> postProcessedGroups() {
        new EmptyPollerGroupsEnvironmentPostProcessor().postProcessEnvironment(this.environment, null);
        return bindGroups();
    }

    private Map<String, WaterDropProperties.Poller> bindGroups() {
        return Binder.get(this.environment).bindOrCreate("waterdrop", WaterDropProperties.class).getPollers();
    }
}
