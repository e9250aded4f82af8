package io.waterdrop.spring;

import io.waterdrop.Producer;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Every WaterDrop {@link Producer} of the application context, by {@linkplain Producer#name() name}: the ones
 * configured under {@code waterdrop.producers} and any {@code Producer} bean the application defines itself.
 * Iteration follows bean order.
 */
public final class WaterDropProducers implements Iterable<Producer> {

    private final Map<String, Producer> producers;

    /**
     * @throws IllegalStateException when two producers share a name
     */
    public WaterDropProducers(Collection<Producer> producers) {
        Map<String, Producer> byName = new LinkedHashMap<>();
        for (Producer producer : producers) {
            Producer previous = byName.putIfAbsent(producer.name(), producer);
            if (previous != null && previous != producer) {
                throw new IllegalStateException("Two WaterDrop producers are named '" + producer.name()
                        + "'; producer names must be unique (check waterdrop.producers and your own Producer beans)");
            }
        }
        this.producers = Collections.unmodifiableMap(byName);
    }

    /**
     * The producer with this name.
     *
     * @throws NoSuchElementException naming the producers that exist
     */
    public Producer get(String name) {
        Producer producer = this.producers.get(name);
        if (producer == null) {
            throw new NoSuchElementException("No WaterDrop producer named '" + name + "'; the producers are "
                    + this.producers.keySet());
        }
        return producer;
    }

    /** The producer with this name, if there is one. */
    public Optional<Producer> find(String name) {
        return Optional.ofNullable(this.producers.get(name));
    }

    /** The producer names, in bean order. */
    public Set<String> names() {
        return this.producers.keySet();
    }

    /** An unmodifiable view: name to producer. */
    public Map<String, Producer> asMap() {
        return this.producers;
    }

    public int size() {
        return this.producers.size();
    }

    @Override
    public Iterator<Producer> iterator() {
        return this.producers.values().iterator();
    }

    @Override
    public String toString() {
        return "WaterDropProducers" + this.producers.keySet();
    }
}
