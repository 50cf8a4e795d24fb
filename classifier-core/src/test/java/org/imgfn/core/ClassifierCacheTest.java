package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The result cache and conditional re-fetching, with the real model and a real image server on loopback. */
class ClassifierCacheTest {
    private LoopbackServer images;
    private Classifier classifier;

    /** What the versioned route serves now, and the conditions each request to it came with. */
    private final AtomicReference<Version> served = new AtomicReference<>();
    private final List<String> conditions = new CopyOnWriteArrayList<>();

    record Version(String image, String etag, String lastModified, String cacheControl) {}

    @BeforeEach
    void start() {
        images = new LoopbackServer().route("/versioned.img", this::serveVersion);
        classifier = cached(4);
    }

    private static Classifier cached(int entries) {
        Classifier opened = Classifier.open(TestClassifiers.loopbackConfig(Map.of("CLASSIFIER_RESULT_CACHE_ENTRIES", Integer.toString(entries))));
        opened.runtime().await(Duration.ofMinutes(1));
        return opened;
    }

    @AfterEach
    void stop() {
        classifier.close();
        images.close();
    }

    private void serveVersion(HttpExchange exchange) throws IOException {
        Version version = served.get();
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        conditions.add(ifNoneMatch != null ? "If-None-Match " + ifNoneMatch
                : ifModifiedSince != null ? "If-Modified-Since " + ifModifiedSince : "none");
        if (version.etag() != null) {
            exchange.getResponseHeaders().set("ETag", version.etag());
        }
        if (version.lastModified() != null) {
            exchange.getResponseHeaders().set("Last-Modified", version.lastModified());
        }
        if (version.cacheControl() != null) {
            exchange.getResponseHeaders().set("Cache-Control", version.cacheControl());
        }
        boolean unchanged = version.etag() != null ? version.etag().equals(ifNoneMatch)
                : version.lastModified() != null && version.lastModified().equals(ifModifiedSince);
        if (unchanged) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        LoopbackServer.send(exchange, 200, "image/png", SharedFiles.imageBytes(version.image()));
    }

    private Classification classifyVersioned(int top) {
        return classifier.classify(new ClassifyRequest.FromUrl(URI.create(images.url("/versioned.img")), top));
    }

    private static String expectedTop1(String image) {
        return SharedFiles.expected(image, "float").get(0).label();
    }

    @Test
    void aRepeatedImageIsAnsweredFromTheCacheWithTheSamePredictions() {
        byte[] chelsea = SharedFiles.imageBytes("chelsea.png");
        Classification first = classifier.classify(new ClassifyRequest.FromBytes(chelsea, 10));
        Classification again = classifier.classify(new ClassifyRequest.FromBytes(chelsea.clone(), 3));

        assertThat(first.cached()).isFalse();
        assertThat(again.cached()).isTrue();
        assertThat(again.predictions()).isEqualTo(first.predictions().subList(0, 3));
        assertThat(again.predictions().get(0).label()).isEqualTo(expectedTop1("chelsea.png"));
        assertThat(again.image()).isEqualTo(first.image());
        assertThat(again.model()).isEqualTo(first.model());
        assertThat(again.timings().inference()).as("no inference").isZero();
        assertThat(again.serverTiming()).endsWith(", cache;desc=hit");
        assertThat(first.serverTiming()).doesNotContain("cache");
        assertThat(classifier.cacheStats().hits()).isEqualTo(1);
        assertThat(classifier.cacheStats().misses()).isEqualTo(1);
    }

    @Test
    void aHitAsksForMoreClassesThanTheFirstRequestAndGetsAllTen() {
        byte[] rocket = SharedFiles.imageBytes("rocket.jpg");
        Classification first = classifier.classify(new ClassifyRequest.FromBytes(rocket, 1));
        Classification again = classifier.classify(new ClassifyRequest.FromBytes(rocket, 10));
        Classification uncached = TestClassifiers.get("mobilenet_v2").classify(new ClassifyRequest.FromBytes(rocket, 10));

        assertThat(first.predictions()).hasSize(1);
        assertThat(again.cached()).isTrue();
        assertThat(again.predictions()).isEqualTo(uncached.predictions());
    }

    @Test
    void theSameBytesFromAUrlAreAHitWithTheirOwnUrl() {
        classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes("horse.png"), 3));
        Classification byUrl = classifier.classify(new ClassifyRequest.FromUrl(URI.create(images.url("/images/horse.png")), 3));

        assertThat(byUrl.cached()).isTrue();
        assertThat(byUrl.image().url()).isEqualTo(images.url("/images/horse.png"));
        assertThat(byUrl.timings().network()).isPositive();
    }

    @Test
    void anUnchangedImageIsConfirmedByItsServerWithoutItsBody() {
        served.set(new Version("coffee.png", "\"v1\"", null, null));
        Classification first = classifyVersioned(3);
        Classification again = classifyVersioned(3);

        assertThat(conditions).containsExactly("none", "If-None-Match \"v1\"");
        assertThat(first.cached()).isFalse();
        assertThat(again.cached()).isTrue();
        assertThat(again.predictions()).isEqualTo(first.predictions());
        assertThat(again.image()).isEqualTo(first.image());
    }

    @Test
    void aLastModifiedDateIsSentBackWhenThereIsNoEtag() {
        served.set(new Version("coffee.png", null, "Thu, 03 Dec 2026 10:00:00 GMT", null));
        classifyVersioned(3);
        Classification again = classifyVersioned(3);

        assertThat(conditions).containsExactly("none", "If-Modified-Since Thu, 03 Dec 2026 10:00:00 GMT");
        assertThat(again.cached()).isTrue();
    }

    @Test
    void aChangedImageAtTheSameUrlGetsItsNewAnswerOnTheNextRequest() {
        served.set(new Version("coffee.png", "\"v1\"", null, null));
        classifyVersioned(3);
        served.set(new Version("rocket.jpg", "\"v2\"", null, null));
        Classification changed = classifyVersioned(3);
        Classification again = classifyVersioned(3);

        assertThat(conditions).containsExactly("none", "If-None-Match \"v1\"", "If-None-Match \"v2\"");
        assertThat(changed.cached()).isFalse();
        assertThat(changed.predictions().get(0).label()).isEqualTo(expectedTop1("rocket.jpg"));
        assertThat(again.cached()).isTrue();
        assertThat(again.predictions().get(0).label()).isEqualTo(expectedTop1("rocket.jpg"));
    }

    @Test
    void aNoStoreImageIsNeverCachedNorAskedToBeConfirmed() {
        served.set(new Version("camera.png", "\"v1\"", null, "private, no-store"));
        List<Classification> answers = List.of(classifyVersioned(3), classifyVersioned(3), classifyVersioned(3));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.cached()).isFalse());
        assertThat(conditions).containsOnly("none");
        assertThat(classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes("camera.png"), 3)).cached())
                .as("nothing of it was kept").isFalse();
    }

    @Test
    void aVersionWhoseResultWasDroppedIsFetchedWhole() {
        classifier.close();
        classifier = cached(1);
        served.set(new Version("coffee.png", "\"v1\"", null, null));
        classifyVersioned(3);
        classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes("horse.png"), 3));
        Classification again = classifyVersioned(3);

        assertThat(conditions).containsExactly("none", "none");
        assertThat(again.cached()).isFalse();
        assertThat(classifier.cacheStats().evictions()).isPositive();
    }

    @Test
    void aRedirectedUrlIsConfirmedAtTheUrlThatServedIt() {
        images.route("/moved.img", LoopbackServer.redirect("/versioned.img"));
        served.set(new Version("chelsea.png", "\"v1\"", null, null));
        URI moved = URI.create(images.url("/moved.img"));
        classifier.classify(new ClassifyRequest.FromUrl(moved, 3));
        Classification again = classifier.classify(new ClassifyRequest.FromUrl(moved, 3));

        assertThat(conditions).containsExactly("none", "If-None-Match \"v1\"");
        assertThat(again.cached()).isTrue();
        assertThat(again.image().url()).isEqualTo(moved.toString());
    }

    @Test
    void aNotModifiedAnswerToAPlainRequestIsTheImageServersError() {
        images.route("/always-304", exchange -> exchange.sendResponseHeaders(304, -1));

        assertThatThrownBy(() -> classifier.classify(new ClassifyRequest.FromUrl(URI.create(images.url("/always-304")), 3)))
                .isInstanceOfSatisfying(ClassifyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
                    assertThat(e.getMessage()).contains("304");
                });
    }

    @Test
    void offByDefaultEveryRequestDoesTheWork() {
        Classifier uncached = TestClassifiers.get("mobilenet_v2");
        ClassifyRequest request = new ClassifyRequest.FromBytes(SharedFiles.imageBytes("chelsea.png"), 3);
        uncached.classify(request);

        assertThat(uncached.classify(request).cached()).isFalse();
        assertThat(uncached.cacheStats().hits()).isZero();
    }
}
