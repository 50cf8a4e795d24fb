package org.imgfn.core.cache;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.imgfn.core.fetch.KnownVersions;
import org.imgfn.core.fetch.Validators;

/**
 * The versions one fetch asks image servers to confirm: each comes from the {@link ResultCache} with its
 * result, which this fetch then holds, so that a {@code 304} can be answered even if the cache drops the
 * result in the meantime. Used by one thread.
 */
public final class Revalidation implements KnownVersions {
    private final ResultCache cache;
    private final String modelSha256;
    private final Map<URI, ResultCache.Held> asked = new HashMap<>();

    Revalidation(ResultCache cache, String modelSha256) {
        this.cache = cache;
        this.modelSha256 = modelSha256;
    }

    @Override
    public Optional<Validators> of(URI url) {
        Optional<ResultCache.Held> held = cache.held(url, modelSha256);
        held.ifPresent(h -> asked.put(url, h));
        return held.map(ResultCache.Held::validators);
    }

    /**
     * The result {@code source}'s server confirmed, counted as a hit; the URL's version is updated to
     * {@code validators} (a 304 may send new ones).
     */
    public CachedResult confirmed(URI source, Validators validators) {
        ResultCache.Held held = asked.get(source);
        if (held == null) {
            throw new IllegalStateException("no version of " + source + " was asked to be confirmed");
        }
        cache.confirmed(held.content(), held.result());
        cache.remember(source, validators, held.content());
        return held.result();
    }
}
