package org.imgfn.core.cache;

/**
 * The result cache's counters since the process started, and what it holds now.
 *
 * @param hits      answers given from the cache
 * @param misses    lookups of a content the cache did not hold
 * @param evictions results and URL versions dropped to stay within the bounds
 * @param results   results held now
 * @param urls      URL versions held now
 * @param bytes     estimated heap held by both, never above {@code maxBytes}
 */
public record CacheStats(long hits, long misses, long evictions, int results, int urls, long bytes, long maxBytes) {}
