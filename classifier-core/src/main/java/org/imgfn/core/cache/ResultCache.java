package org.imgfn.core.cache;

import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.imgfn.core.fetch.Validators;

/**
 * Classifications by content ({@link ContentKey}), and for each URL the version its image server last
 * sent with the content's key, so that a fetch can ask the server to confirm it instead of sending the
 * body again. Both are least-recently-used maps under one bound of entries each and one bound of bytes
 * together (an estimate of the heap they hold); zero entries turns the cache off.
 */
public final class ResultCache {
    /** What one result holds besides its predictions: key, map entry, record, list and image info. */
    private static final int RESULT_OVERHEAD = 384;
    private static final int PREDICTION_BYTES = 24;
    /** What one URL version holds besides its strings (two bytes a character, as the worst case). */
    private static final int URL_OVERHEAD = 256;

    /** The version of a URL: its validators and the content it had. */
    record UrlVersion(Validators validators, ContentKey content) {}

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<ContentKey, CachedResult> results = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, UrlVersion> urls = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * Keeps at most {@code settings.entries()} results and as many URL versions (0 turns the cache off),
     * holding together at most {@code settings.bytes()} of estimated heap.
     */
    public ResultCache(CacheSettings settings) {
        this.maxEntries = settings.entries();
        this.maxBytes = settings.bytes();
    }

    public boolean enabled() {
        return maxEntries > 0;
    }

    /** The result for {@code key}, counting a hit or a miss. */
    public synchronized Optional<CachedResult> get(ContentKey key) {
        CachedResult result = results.get(key);
        if (result == null) {
            misses++;
        } else {
            hits++;
        }
        return Optional.ofNullable(result);
    }

    /** Keeps {@code result} for {@code key} as the most recently used, dropping the least recently used past the bounds. */
    public synchronized void put(ContentKey key, CachedResult result) {
        if (!enabled()) {
            return;
        }
        CachedResult old = results.put(key, result);
        if (old != null) {
            bytes -= size(old);
        }
        bytes += size(result);
        trim(results, urls);
    }

    /**
     * A server confirmed the version of a URL whose result a fetch held on to: counts a hit and keeps
     * the result (again, if it was dropped meanwhile) as the most recently used.
     */
    public synchronized void confirmed(ContentKey key, CachedResult result) {
        hits++;
        put(key, result);
    }

    /** Remembers what {@code url} answered with, or forgets it when the answer named no version. */
    public synchronized void remember(URI url, Validators validators, ContentKey content) {
        if (!enabled()) {
            return;
        }
        String name = url.toString();
        UrlVersion old = validators.isEmpty() ? urls.remove(name) : urls.put(name, new UrlVersion(validators, content));
        if (old != null) {
            bytes -= size(name, old);
        }
        if (!validators.isEmpty()) {
            bytes += size(name, urls.get(name));
            trim(urls, results);
        }
    }

    /** Forgets what {@code url} answered with (its server said not to keep it). */
    public synchronized void forget(URI url) {
        String name = url.toString();
        UrlVersion old = urls.remove(name);
        if (old != null) {
            bytes -= size(name, old);
        }
    }

    /**
     * The version of {@code url} to ask its server to confirm, with the result it stands for: only when
     * that result, for {@code modelSha256}, is still held. Counts neither a hit nor a miss.
     */
    synchronized Optional<Held> held(URI url, String modelSha256) {
        UrlVersion version = urls.get(url.toString());
        if (version == null || !version.content().modelSha256().equals(modelSha256)) {
            return Optional.empty();
        }
        CachedResult result = results.get(version.content());
        return result == null ? Optional.empty() : Optional.of(new Held(version.validators(), version.content(), result));
    }

    /** A URL's version and the result it stands for, held by one fetch. */
    record Held(Validators validators, ContentKey content, CachedResult result) {}

    /** A fetch's view of this cache for {@code modelSha256}'s results. */
    public Revalidation revalidation(String modelSha256) {
        return new Revalidation(this, modelSha256);
    }

    public synchronized CacheStats stats() {
        return new CacheStats(hits, misses, evictions, results.size(), urls.size(), bytes, maxBytes);
    }

    /** Drops least recently used entries of {@code first} (then of {@code second}) until both bounds hold. */
    private void trim(LinkedHashMap<?, ?> first, LinkedHashMap<?, ?> second) {
        while (first.size() > maxEntries) {
            evictEldest(first);
        }
        while (bytes > maxBytes && !first.isEmpty()) {
            evictEldest(first.size() > 1 || second.isEmpty() ? first : second);
        }
    }

    private void evictEldest(LinkedHashMap<?, ?> map) {
        Iterator<? extends Map.Entry<?, ?>> eldest = map.entrySet().iterator();
        Map.Entry<?, ?> entry = eldest.next();
        bytes -= entry.getValue() instanceof CachedResult result ? size(result)
                : size((String) entry.getKey(), (UrlVersion) entry.getValue());
        eldest.remove();
        evictions++;
    }

    static long size(CachedResult result) {
        return RESULT_OVERHEAD + (long) PREDICTION_BYTES * result.predictions().size();
    }

    static long size(String url, UrlVersion version) {
        Validators v = version.validators();
        return URL_OVERHEAD + 2L * (url.length() + length(v.etag()) + length(v.lastModified()));
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
