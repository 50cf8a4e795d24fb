package org.imgfn.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer both platforms return: top-k predictions, timings, the image and the model; {@code cached}
 * when the predictions came from the result cache, without decoding or inference.
 */
public record Classification(
        List<Prediction> predictions,
        @JsonProperty("timings_ms") Timings timings,
        ImageInfo image,
        ModelInfo model,
        @JsonProperty("cold_start") boolean coldStart,
        boolean cached) {

    public Classification {
        predictions = List.copyOf(predictions);
    }

    /**
     * The stages as a {@code Server-Timing} header value (W3C Server Timing), which browsers' developer
     * tools and proxies show without reading the body; a cached answer adds {@code cache;desc=hit}.
     */
    @JsonIgnore
    public String serverTiming() {
        return timings.serverTiming() + (cached ? ", cache;desc=hit" : "");
    }
}
