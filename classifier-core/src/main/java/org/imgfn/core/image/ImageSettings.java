package org.imgfn.core.image;

import java.time.Duration;
import org.imgfn.core.settings.Require;

/**
 * The images a classifier takes, and the memory and CPUs it gives them.
 *
 * @param maxImageBytes         largest image accepted, in bytes (compressed and decompressed)
 * @param maxPixels             largest image accepted, in pixels, checked before decoding
 * @param decodeTimeout         how long decoding one image may take before it is abandoned
 * @param preprocessConcurrency images decoded and preprocessed at once; more requests wait their turn
 * @param maxBufferedBytes      memory for images held at once across all requests: their bytes, decoded
 *                              pixels and crops ({@link org.imgfn.core.memory.ByteBudget})
 */
public record ImageSettings(long maxImageBytes, long maxPixels, Duration decodeTimeout, int preprocessConcurrency,
        long maxBufferedBytes) {
    public ImageSettings {
        Require.positive("max image bytes", maxImageBytes);
        Require.positive("max pixels", maxPixels);
        Require.positive("decode timeout", decodeTimeout.toMillis());
        Require.positive("preprocess concurrency", preprocessConcurrency);
        if (maxBufferedBytes < maxImageBytes) {
            throw new IllegalArgumentException("CLASSIFIER_MAX_BUFFERED_BYTES (" + maxBufferedBytes
                    + ") must be at least CLASSIFIER_MAX_IMAGE_BYTES (" + maxImageBytes + ")");
        }
    }
}
