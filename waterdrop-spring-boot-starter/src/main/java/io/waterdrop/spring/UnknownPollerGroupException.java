package io.waterdrop.spring;

import io.waterdrop.WaterDropException;
import java.util.List;

/**
 * A producer names a Poller group ({@code polling.poller}) that the application's own {@link WaterDropPollers} bean
 * does not hold. (The auto-configured bean creates every group a producer names.)
 */
public class UnknownPollerGroupException extends WaterDropException {

    private final String producer;
    private final String group;
    private final List<String> definedGroups;

    public UnknownPollerGroupException(String producer, String group, List<String> definedGroups) {
        super("Producer '" + producer + "' uses Poller group '" + group + "' (waterdrop.producers." + producer
                + ".polling.poller) but " + (definedGroups.isEmpty() ? "no Poller groups are defined"
                        : "the defined groups are " + definedGroups));
        this.producer = producer;
        this.group = group;
        this.definedGroups = List.copyOf(definedGroups);
    }

    /** The producer that names the group. */
    public String producer() {
        return this.producer;
    }

    /** The group that does not exist. */
    public String group() {
        return this.group;
    }

    /** The groups that do exist. */
    public List<String> definedGroups() {
        return this.definedGroups;
    }
}
