package org.imgfn.core.cache;

import java.util.List;
import java.util.Optional;
import org.imgfn.core.api.ImageInfo;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.api.Prediction;
import org.imgfn.core.fetch.Download;
import org.imgfn.core.fetch.KnownVersions;

/**
 * When a classification is answered from the {@link ResultCache} and what it keeps: results by the
 * image's content and the model's SHA-256, so the cache takes part only once the model is known (while
 * it loads, requests do the work); for image URLs, the version their server sent, which the next fetch
 * asks it to confirm; nothing of an image its server marked {@code no-store}. One request's part is a
 * {@link Use}.
 */
public final class CachePolicy {
    private final ResultCache cache;

    public CachePolicy(CacheSettings settings) {
        this.cache = new ResultCache(settings);
    }

    public CacheStats stats() {
        return cache.stats();
    }

    /** The cache's part in one request, served by the model of {@code modelSha256} (empty: not known yet). */
    public Use forRequest(Optional<String> modelSha256) {
        return cache.enabled() && modelSha256.isPresent() ? new Use(modelSha256.get()) : new Use(null);
    }

    /**
     * What one request asks of the cache and gives it, in three steps: the versions its image's server
     * is asked to confirm, the answer kept for the image that arrived, and the result to keep. With no
     * model to key by, nothing. Used by one thread.
     */
    public final class Use {
        private final String modelSha256;
        private final Revalidation revalidation;
        private ContentKey key;
        private Download download;

        private Use(String modelSha256) {
            this.modelSha256 = modelSha256;
            this.revalidation = modelSha256 == null ? null : cache.revalidation(modelSha256);
        }

        /** The versions the image's server is asked to confirm. */
        public KnownVersions versions() {
            return revalidation == null ? KnownVersions.NONE : revalidation;
        }

        /**
         * The answer for a downloaded image: the result whose version its server confirmed with a
         * {@code 304}, or the one kept for the same content. An image its server marked {@code no-store}
         * is neither looked up nor kept, and what was known of its URL is dropped.
         */
        public Optional<CachedResult> answerFor(Download arrived) {
            if (arrived.notModified()) {
                return Optional.of(revalidation.confirmed(arrived.source(), arrived.validators()));
            }
            if (modelSha256 == null) {
                return Optional.empty();
            }
            if (!arrived.storable()) {
                cache.forget(arrived.source());
                return Optional.empty();
            }
            download = arrived;
            return answerFor(arrived.bytes());
        }

        /** The result kept for a posted image's content. */
        public Optional<CachedResult> answerFor(byte[] image) {
            if (modelSha256 == null) {
                return Optional.empty();
            }
            key = ContentKey.of(image, modelSha256);
            return cache.get(key);
        }

        /**
         * Keeps the result of the image that arrived, if {@code model} is the one it was keyed for, and
         * the version its server sent with it, for the next fetch of its URL to ask about.
         *
         * @param predictions the top {@value org.imgfn.core.api.ClassifyRequest#MAX_TOP}, so that any
         *                    later request's {@code top} can be answered
         */
        public void keep(List<Prediction> predictions, ImageInfo image, ModelInfo model) {
            if (key == null || !key.modelSha256().equals(model.sha256())) {
                return;
            }
            cache.put(key, new CachedResult(predictions, image.withUrl(null), model));
            if (download != null) {
                cache.remember(download.source(), download.validators(), key);
            }
        }
    }
}
