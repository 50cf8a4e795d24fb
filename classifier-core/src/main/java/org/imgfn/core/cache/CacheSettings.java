package org.imgfn.core.cache;

import org.imgfn.core.settings.Require;

/**
 * The result cache's bounds.
 *
 * @param entries classifications kept by image content (and image URLs' versions kept) for repeated
 *                images; 0 turns the cache off
 * @param bytes   estimated heap the cache may hold
 */
public record CacheSettings(int entries, long bytes) {
    public CacheSettings {
        Require.notNegative("result cache entries (0: off)", entries);
        Require.positive("result cache bytes", bytes);
    }
}
