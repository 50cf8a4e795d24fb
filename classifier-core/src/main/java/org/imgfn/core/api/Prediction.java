package org.imgfn.core.api;

import java.util.Objects;

/** One class of the top-k answer. */
public record Prediction(String label, int index, double probability) {
    public Prediction {
        Objects.requireNonNull(label, "label");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
    }
}
