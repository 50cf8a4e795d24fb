package org.imgfn.core.cache;

import java.util.List;
import org.imgfn.core.api.ImageInfo;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.api.Prediction;

/**
 * A classification kept for its content: the top {@link org.imgfn.core.api.ClassifyRequest#MAX_TOP}
 * predictions, what the image was ({@code url} left out: the same bytes may come from anywhere) and the
 * model that answered.
 */
public record CachedResult(List<Prediction> predictions, ImageInfo image, ModelInfo model) {
    public CachedResult {
        predictions = List.copyOf(predictions);
    }

    /** The first {@code top} predictions. */
    public List<Prediction> top(int top) {
        return predictions.subList(0, Math.min(top, predictions.size()));
    }
}
