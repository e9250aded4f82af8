package io.waterdrop.spring;

import io.waterdrop.WaterDropException;

/** A producer names a Poller group but polls in thread mode, where it has a thread of its own and no Poller. */
public class PollerRequiresFdModeException extends WaterDropException {

    private final String producer;
    private final String group;

    public PollerRequiresFdModeException(String producer, String group) {
        super("Producer '" + producer + "' sets polling.poller=" + group + " but its polling.mode is thread; "
                + "a Poller only serves fd-mode producers");
        this.producer = producer;
        this.group = group;
    }

    public String producer() {
        return this.producer;
    }

    public String group() {
        return this.group;
    }
}
