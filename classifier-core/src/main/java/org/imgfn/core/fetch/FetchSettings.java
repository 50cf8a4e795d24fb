package org.imgfn.core.fetch;

import java.time.Duration;
import org.imgfn.core.settings.Require;

/**
 * How images are downloaded.
 *
 * @param allowPrivateNetworks lifts the SSRF guard (tests and local demos only)
 * @param connectTimeout       TCP/TLS connect timeout of an image download
 * @param downloadTimeout      deadline for a whole image download, redirects included
 */
public record FetchSettings(boolean allowPrivateNetworks, Duration connectTimeout, Duration downloadTimeout) {
    public FetchSettings {
        Require.positive("connect timeout", connectTimeout.toMillis());
        Require.positive("download timeout", downloadTimeout.toMillis());
    }
}
