package org.imgfn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.imgfn.core.testing.Probabilities.argmax;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.image.Crop;
import org.imgfn.core.image.ImageDecoder;
import org.imgfn.core.image.Preprocessor;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching gives each caller its own answer; a full queue refuses at once. */
class InferenceQueueTest {
    static LoadedModel model;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(ModelSource.load("mobilenet_v2", null, null, null), Labels.load(null), 8, 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Crop crop(String image) {
        return Preprocessor.crop(new ImageDecoder(40_000_000).decode(SharedFiles.imageBytes(image)).rgb());
    }

    @Test
    void givesEachCallerInABatchItsOwnAnswer() {
        try (InferenceQueue queue = new InferenceQueue(model, 1, 8, 64)) {
            List<String> images = new ArrayList<>();
            List<CompletableFuture<float[]>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String image : SharedFiles.IMAGES) {
                    images.add(image);
                    results.add(queue.submit(crop(image)));
                }
            }
            for (int i = 0; i < images.size(); i++) {
                String expected = SharedFiles.expected(images.get(i), "float").get(0).label();
                assertThat(model.labels().get(argmax(results.get(i).join()))).as(images.get(i)).isEqualTo(expected);
            }
        }
    }

    @Test
    void refusesWorkOnceTheQueueIsFull() {
        try (InferenceQueue queue = new InferenceQueue(model, 1, 1, 1)) {
            Crop input = crop("horse.png");
            List<CompletableFuture<float[]>> accepted = new ArrayList<>();
            ClassifyException refused = null;
            for (int i = 0; i < 50 && refused == null; i++) {
                try {
                    accepted.add(queue.submit(input));
                } catch (ClassifyException e) {
                    refused = e;
                }
            }

            assertThat(refused).isNotNull();
            assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
            accepted.forEach(f -> assertThat(f.join()).hasSize(1000));
        }
    }

    @Test
    void failsQueuedWorkWhenClosed() {
        Crop input = crop("horse.png");
        InferenceQueue queue = new InferenceQueue(model, 1, 1, 64);
        List<CompletableFuture<float[]>> pending = new ArrayList<>();
        // Queued in microseconds, while one forward pass takes milliseconds: most are still waiting at close.
        // (Decoding inside this loop let a fast machine's worker keep up.)
        for (int i = 0; i < 20; i++) {
            pending.add(queue.submit(input));
        }
        queue.close();

        assertThatThrownBy(() -> queue.submit(Crop.blank()))
                .isInstanceOfSatisfying(ClassifyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY));
        int refused = 0;
        for (CompletableFuture<float[]> f : pending) {
            try {
                assertThat(f.join()).hasSize(1000);
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(ClassifyException.class,
                        c -> assertThat(c.code()).isEqualTo(ErrorCode.NOT_READY));
                refused++;
            }
        }
        assertThat(refused).as("images still queued when the queue closed").isPositive();
    }
}
