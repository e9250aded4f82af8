package io.waterdrop.spring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Loads a YAML file from the test classpath into the context's environment, as Spring Boot does with
 * application.yml.
 */
final class IssueYaml implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private final String resource;

    private IssueYaml(String resource) {
        this.resource = resource;
    }

    /** The YAML of issue 4, in the shape of issue 7 (Poller groups exist by reference). */
    static IssueYaml issue4() {
        return new IssueYaml("issue-4.yml");
    }

    static IssueYaml of(String resource) {
        return new IssueYaml(resource);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(this.resource,
                    new ClassPathResource(this.resource))) {
                context.getEnvironment().getPropertySources().addFirst(source);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
