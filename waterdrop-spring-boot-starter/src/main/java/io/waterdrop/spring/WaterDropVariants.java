package io.waterdrop.spring;

import io.waterdrop.ConfigurationException;
import io.waterdrop.ProducerVariant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Every variant configured under {@code waterdrop.producers.<producer>.variants}, created (and checked) when the
 * context starts. Each is also a {@link ProducerVariant} bean named
 * {@code waterdrop.producers.<producer>.variants.<variant>} and qualified {@code <producer>.<variant>}, e.g.
 * {@code @Qualifier("orders.fire-and-forget")}.
 */
public final class WaterDropVariants {

    private final Map<String, Map<String, ProducerVariant>> byProducer;

    /**
     * @throws InvalidProducerConfigurationException naming the variant setting that core refused
     */
    public WaterDropVariants(WaterDropProperties properties, WaterDropProducers producers) {
        Map<String, Map<String, ProducerVariant>> all = new LinkedHashMap<>();
        properties.getProducers().forEach((producer, entry) -> {
            Map<String, ProducerVariant> variants = new LinkedHashMap<>();
            entry.getVariants().forEach((variant, settings) -> {
                try {
                    variants.put(variant, producers.get(producer).variant(settings.getKafka()));
                }
                catch (ConfigurationException ex) {
                    throw new InvalidProducerConfigurationException(producer,
                            "waterdrop.producers." + producer + ".variants." + variant + "." + ex.key(), ex);
                }
            });
            if (!variants.isEmpty()) {
                all.put(producer, Collections.unmodifiableMap(variants));
            }
        });
        this.byProducer = Collections.unmodifiableMap(all);
    }

    /** The qualifier (and short name) of a variant bean: {@code <producer>.<variant>}. */
    public static String qualifier(String producer, String variant) {
        return producer + "." + variant;
    }

    /**
     * One variant.
     *
     * @throws NoSuchElementException naming the variants the producer has
     */
    public ProducerVariant get(String producer, String variant) {
        ProducerVariant found = of(producer).get(variant);
        if (found == null) {
            throw new NoSuchElementException("Producer '" + producer + "' has no variant '" + variant
                    + "'; its variants are " + of(producer).keySet());
        }
        return found;
    }

    /** A producer's variants by name (empty when it has none). */
    public Map<String, ProducerVariant> of(String producer) {
        return this.byProducer.getOrDefault(producer, Map.of());
    }

    @Override
    public String toString() {
        return "WaterDropVariants" + this.byProducer.keySet();
    }
}
