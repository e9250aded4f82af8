package io.waterdrop.spring.autoconfigure;

import io.waterdrop.spring.internal.EmptyPollerGroupsEnvironmentPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the starter's environment post-processor on a runner's context, as SpringApplication does, so that a group
 * written without settings ({@code waterdrop.pollers.critical={}}) is seen as it would be in an application.
 */
final class PostProcessedEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        new EmptyPollerGroupsEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(), null);
    }
}
