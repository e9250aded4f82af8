package io.waterdrop.spring;

import io.waterdrop.WaterDropException;
import java.util.List;

/** More than one producer under {@code waterdrop.producers} sets {@code primary: true}. */
public class MultiplePrimaryProducersException extends WaterDropException {

    private final List<String> producers;

    public MultiplePrimaryProducersException(List<String> producers) {
        super("Producers " + producers + " are all marked primary; at most one producer can be primary");
        this.producers = List.copyOf(producers);
    }

    /** The producers marked primary. */
    public List<String> producers() {
        return this.producers;
    }
}
