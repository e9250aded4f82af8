package io.waterdrop.spring.internal;

import io.waterdrop.Poller;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Makes a Poller group written without settings exist: {@code critical: {}} (as in issue 4's YAML), {@code critical:}
 * or {@code waterdrop.pollers.critical=}.
 *
 * <p>Why: Spring Boot flattens YAML into properties, and an empty mapping becomes no property at all, so
 * {@code critical: {}} would silently define nothing and every producer naming the group would fail as "unknown
 * group". This finds such groups (in the YAML documents that are active) and adds their default
 * {@code poll-timeout} as a property, in a source named {@value #SOURCE_NAME}, so binding sees the group. Groups
 * that have any setting are left alone.
 * Limitation: a YAML document that holds nothing but empty groups creates no property source to trace it back to.
 */
public final class EmptyPollerGroupsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding the defaults of groups written without settings. */
    public static final String SOURCE_NAME = "waterdropPollerGroupsWithoutSettings";

    /** Spring Boot's adapter source that must stay first (ConfigurationPropertySources.attach). */
    private static final String ATTACHED_SOURCE_NAME = "configurationProperties";
    private static final ConfigurationPropertyName POLLERS = ConfigurationPropertyName.of("waterdrop.pollers");
    private static final boolean YAML_PRESENT = ClassUtils.isPresent("org.yaml.snakeyaml.Yaml",
            EmptyPollerGroupsEnvironmentPostProcessor.class.getClassLoader());

    @Override
    public int getOrder() {
        // After application.yml and friends have been loaded.
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().remove(SOURCE_NAME); // idempotent: judge without our own defaults
        Set<String> groups = new LinkedHashSet<>(groupsWithBlankValue(environment));
        if (YAML_PRESENT) {
            groups.addAll(new YamlEmptyGroups().find(environment));
        }
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (String group : groups) {
            ConfigurationPropertyName name = POLLERS.append(group);
            if (!hasSettings(sources, name)) {
                defaults.put(name.append("poll-timeout").toString(), Poller.DEFAULT_POLL_TIMEOUT.toMillis() + "ms");
            }
        }
        if (defaults.isEmpty()) {
            return;
        }
        // First, not last: a Map entry binds from the first source that has it, and "critical:" gives the YAML
        // source an entry ("") that cannot become a Poller. Only groups with no settings anywhere get here.
        MapPropertySource source = new MapPropertySource(SOURCE_NAME, defaults);
        if (environment.getPropertySources().contains(ATTACHED_SOURCE_NAME)) {
            environment.getPropertySources().addAfter(ATTACHED_SOURCE_NAME, source);
        }
        else {
            environment.getPropertySources().addFirst(source);
        }
    }

    /** {@code waterdrop.pollers.critical=} (or {@code ={}}) in any property source. */
    private static Set<String> groupsWithBlankValue(ConfigurableEnvironment environment) {
        Set<String> groups = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.containsDescendantOf(POLLERS) == ConfigurationPropertyState.ABSENT) {
                continue;
            }
            iterable.stream().filter((name) -> POLLERS.isParentOf(name)).forEach((name) -> {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                Object value = property != null ? property.getValue() : null;
                String text = value != null ? value.toString().trim() : "";
                if (text.isEmpty() || text.equals("{}")) {
                    groups.add(name.getLastElement(ConfigurationPropertyName.Form.ORIGINAL));
                }
            });
        }
        return groups;
    }

    private static boolean hasSettings(Iterable<ConfigurationPropertySource> sources, ConfigurationPropertyName group) {
        for (ConfigurationPropertySource source : sources) {
            if (source.containsDescendantOf(group) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /** Finds {@code waterdrop.pollers.<group>: {}} in the YAML documents behind the environment's property sources. */
    private static final class YamlEmptyGroups {

        private final Set<String> groups = new LinkedHashSet<>();
        private final Set<String> seenDocuments = new HashSet<>();

        Set<String> find(ConfigurableEnvironment environment) {
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable
                        && source instanceof OriginLookup<?> lookup) {
                    inspect(enumerable, lookup);
                }
            }
            return this.groups;
        }

        @SuppressWarnings("unchecked")
        private void inspect(EnumerablePropertySource<?> source, OriginLookup<?> lookup) {
            for (String name : source.getPropertyNames()) {
                if (!name.startsWith("waterdrop.")) {
                    continue;
                }
                TextResourceOrigin origin = textOrigin(((OriginLookup<String>) lookup).getOrigin(name));
                if (origin != null && origin.getLocation() != null && isYaml(origin.getResource())) {
                    // One property locates the whole document: its other properties are in the same one.
                    inspectDocumentAt(origin.getResource(), origin.getLocation().getLine());
                    return;
                }
            }
        }

        private void inspectDocumentAt(Resource resource, int line) {
            try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
                for (Node document : new Yaml(new LoaderOptions()).composeAll(reader)) {
                    boolean containsLine = document.getStartMark().getLine() <= line
                            && line <= document.getEndMark().getLine();
                    if (containsLine && this.seenDocuments.add(resource.getDescription() + "@"
                            + document.getStartMark().getLine())) {
                        collect(document, "");
                    }
                }
            }
            catch (IOException | RuntimeException ex) {
                // Boot loaded this file already; if it cannot be read again, explicit settings still work.
            }
        }

        private void collect(Node node, String path) {
            if (!(node instanceof MappingNode mapping)) {
                return;
            }
            List<NodeTuple> entries = mapping.getValue();
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(path, '.');
            if (entries.isEmpty() && POLLERS.isParentOf(name)) {
                this.groups.add(name.getLastElement(ConfigurationPropertyName.Form.ORIGINAL));
                return;
            }
            for (NodeTuple entry : entries) {
                if (entry.getKeyNode() instanceof ScalarNode key) {
                    collect(entry.getValueNode(), path.isEmpty() ? key.getValue() : path + "." + key.getValue());
                }
            }
        }

        private static TextResourceOrigin textOrigin(Origin origin) {
            for (Origin candidate = origin; candidate != null; candidate = candidate.getParent()) {
                if (candidate instanceof TextResourceOrigin text) {
                    return text;
                }
            }
            return null;
        }

        private static boolean isYaml(Resource resource) {
            String file = resource != null ? resource.getFilename() : null;
            return file != null && (file.endsWith(".yml") || file.endsWith(".yaml"));
        }
    }
}
