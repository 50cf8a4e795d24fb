package org.imgfn.core.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer both platforms return: top-k predictions, timings, the image and the model. */
public record Classification(
        List<Prediction> predictions,
        @JsonProperty("timings_ms") Timings timings,
        ImageInfo image,
        ModelInfo model,
        @JsonProperty("cold_start") boolean coldStart) {

    public Classification {
        predictions = List.copyOf(predictions);
    }
}
