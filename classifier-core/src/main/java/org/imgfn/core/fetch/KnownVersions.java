package org.imgfn.core.fetch;

import java.net.URI;
import java.util.Optional;

/**
 * The versions of URLs that a fetch may ask the image server to confirm, instead of downloading them
 * again: for a URL whose answer is still at hand, the validators its last body came with.
 */
@FunctionalInterface
public interface KnownVersions {
    KnownVersions NONE = url -> Optional.empty();

    Optional<Validators> of(URI url);
}
