package org.imgfn.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.imgfn.core.api.ImageInfo;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.api.Prediction;
import org.imgfn.core.fetch.Validators;
import org.junit.jupiter.api.Test;

class ResultCacheTest {
    private static final String MODEL = "a".repeat(64);
    private static final ModelInfo MODEL_INFO = new ModelInfo("m", MODEL, "OnnxRuntime");

    private static ContentKey key(int i) {
        return ContentKey.of(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}, MODEL);
    }

    private static CachedResult result(int i) {
        List<Prediction> predictions = new ArrayList<>();
        for (int rank = 0; rank < 10; rank++) {
            predictions.add(new Prediction("class " + rank, rank, 0.1));
        }
        return new CachedResult(predictions, new ImageInfo(null, i, 224, 224, "png"), MODEL_INFO);
    }

    private static URI url(int i) {
        return URI.create("http://images.example/" + "long-path/".repeat(20) + i + ".jpg");
    }

    @Test
    void dropsTheLeastRecentlyUsedResultPastItsEntries() {
        ResultCache cache = new ResultCache(new CacheSettings(2, 1 << 20));
        cache.put(key(1), result(1));
        cache.put(key(2), result(2));
        assertThat(cache.get(key(1))).as("1 is now the most recently used").isPresent();
        cache.put(key(3), result(3));

        assertThat(cache.get(key(2))).as("2 was the least recently used").isEmpty();
        assertThat(cache.get(key(1))).isPresent();
        assertThat(cache.get(key(3))).isPresent();
        CacheStats stats = cache.stats();
        assertThat(stats.results()).isEqualTo(2);
        assertThat(stats.evictions()).isEqualTo(1);
        assertThat(stats.hits()).isEqualTo(3);
        assertThat(stats.misses()).isEqualTo(1);
    }

    @Test
    void keepsItsBytesUnderTheBoundWhateverItHolds() {
        long bound = 20_000;
        ResultCache cache = new ResultCache(new CacheSettings(1_000, bound));
        for (int i = 0; i < 500; i++) {
            cache.put(key(i), result(i));
            cache.remember(url(i), new Validators("\"" + "e".repeat(i % 200) + "\"", "Thu, 03 Dec 2026 10:00:00 GMT"), key(i));
            assertThat(cache.stats().bytes()).isPositive().isLessThanOrEqualTo(bound);
        }
        CacheStats stats = cache.stats();
        assertThat(stats.results()).isLessThan(500);
        assertThat(stats.evictions()).isPositive();
        long counted = 0;
        for (int i = 0; i < 500; i++) {
            if (cache.held(url(i), MODEL).isPresent()) {
                counted++;
            }
        }
        assertThat(counted).as("the most recent URLs and results are the ones kept").isPositive();
        assertThat(cache.held(url(499), MODEL)).isPresent();
    }

    @Test
    void aResultLargerThanTheWholeBoundIsNotKept() {
        ResultCache cache = new ResultCache(new CacheSettings(10, 100));
        cache.put(key(1), result(1));

        assertThat(cache.stats().results()).isZero();
        assertThat(cache.stats().bytes()).isZero();
    }

    @Test
    void offKeepsNothing() {
        ResultCache cache = new ResultCache(new CacheSettings(0, 1 << 20));
        cache.put(key(1), result(1));
        cache.remember(url(1), new Validators("\"v1\"", null), key(1));

        assertThat(cache.enabled()).isFalse();
        assertThat(cache.get(key(1))).isEmpty();
        assertThat(cache.held(url(1), MODEL)).isEmpty();
    }

    @Test
    void offersAUrlsVersionOnlyWhileItsResultIsHeldForTheSameModel() {
        ResultCache cache = new ResultCache(new CacheSettings(1, 1 << 20));
        Validators v1 = new Validators("\"v1\"", null);
        cache.remember(url(1), v1, key(1));
        assertThat(cache.held(url(1), MODEL)).as("no result yet").isEmpty();

        cache.put(key(1), result(1));
        assertThat(cache.held(url(1), MODEL)).map(ResultCache.Held::validators).contains(v1);
        assertThat(cache.held(url(1), "b".repeat(64))).as("another model").isEmpty();

        cache.put(key(2), result(2));
        assertThat(cache.held(url(1), MODEL)).as("its result was dropped").isEmpty();
    }

    @Test
    void aConfirmedVersionIsAnsweredEvenIfItsResultWasDroppedMeanwhile() {
        ResultCache cache = new ResultCache(new CacheSettings(1, 1 << 20));
        cache.put(key(1), result(1));
        cache.remember(url(1), new Validators("\"v1\"", null), key(1));
        Revalidation fetch = cache.revalidation(MODEL);
        assertThat(fetch.of(url(1))).map(Validators::etag).contains("\"v1\"");

        cache.put(key(2), result(2));
        CachedResult confirmed = fetch.confirmed(url(1), new Validators("\"v2\"", null));

        assertThat(confirmed).isEqualTo(result(1));
        assertThat(cache.get(key(1))).as("kept again as the most recently used").isPresent();
        assertThat(cache.held(url(1), MODEL)).map(h -> h.validators().etag()).contains("\"v2\"");
    }

    @Test
    void forgetsAUrlWhoseServerSentNoVersion() {
        ResultCache cache = new ResultCache(new CacheSettings(4, 1 << 20));
        cache.put(key(1), result(1));
        cache.remember(url(1), new Validators("\"v1\"", null), key(1));
        cache.remember(url(1), Validators.NONE, key(1));

        assertThat(cache.held(url(1), MODEL)).isEmpty();
        assertThat(cache.stats().urls()).isZero();
        assertThat(cache.stats().bytes()).isEqualTo(ResultCache.size(result(1)));
    }
}
