package org.imgfn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.image.Crop;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's life: loading, ready, a failed load retried until it succeeds, and a synchronous close. */
class ModelRuntimeTest {
    @TempDir
    Path tmp;

    private static ModelSettings settings(String model) {
        return ClassifierConfig.fromEnv(Map.of()).withModel(model).model();
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
            throw new AssertionError("expected a ClassifyException");
        } catch (ClassifyException e) {
            return e.code();
        }
    }

    private static void awaitState(ModelRuntime runtime, ModelRuntime.State state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runtime.state() != state) {
            assertThat(System.nanoTime()).as("reaching %s within 30 s", state).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void loadsWarmsUpAndServes() {
        try (ModelRuntime runtime = ModelRuntime.start(settings("mobilenet_v2"))) {
            ModelRuntime.ServingModel model = runtime.await(Duration.ofMinutes(1));

            assertThat(runtime.state()).isEqualTo(ModelRuntime.State.READY);
            assertThat(runtime.whenReady()).isCompletedWithValue(model);
            assertThat(model.loaded().info().engine()).isEqualTo("OnnxRuntime");
            assertThat(model.inference().submit(Crop.blank()).join()).hasSize(1000);
        }
    }

    /** The model comes from a loopback URL that answers late, so the runtime is caught loading. */
    @Test
    void isLoadingUntilTheModelArrivesAndRequestsWaitAtMostTheirLimit() throws IOException {
        byte[] onnx = Files.readAllBytes(SharedFiles.model("mobilenet_v2.onnx"));
        try (LoopbackServer models = new LoopbackServer()) {
            models.route("/late.onnx", LoopbackServer.delayed(Duration.ofSeconds(2),
                    LoopbackServer.body("application/octet-stream", onnx)));
            ModelSettings late = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_CACHE_DIR", tmp.toString()))
                    .withModel(models.url("/late.onnx")).model();
            try (ModelRuntime runtime = ModelRuntime.start(late)) {
                assertThat(runtime.state()).isEqualTo(ModelRuntime.State.LOADING);
                assertThatThrownBy(() -> runtime.await(Duration.ofMillis(100)))
                        .isInstanceOfSatisfying(ClassifyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY))
                        .hasMessageContaining("still loading");

                assertThat(runtime.await(Duration.ofMinutes(1)).loaded().info().name()).isEqualTo("late");
                assertThat(runtime.state()).isEqualTo(ModelRuntime.State.READY);
            }
        }
    }

    @Test
    void retriesAFailedLoadUntilItSucceeds() throws Exception {
        Path model = tmp.resolve("arrives-later.onnx");
        ModelSettings settings = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_MODEL_RETRY_MS", "50"))
                .withModel(model.toString()).model();
        try (ModelRuntime runtime = ModelRuntime.start(settings)) {
            awaitState(runtime, ModelRuntime.State.FAILED);
            assertThatThrownBy(() -> runtime.await(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(ClassifyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY))
                    .hasMessageContaining("could not be loaded").hasMessageContaining("model file not found");

            Files.copy(SharedFiles.model("mobilenet_v2.onnx"), model);
            awaitState(runtime, ModelRuntime.State.READY);

            assertThat(runtime.await(Duration.ZERO).loaded().info().name()).isEqualTo("arrives-later");
        }
    }

    /** A worker that ends (here: interrupted, as an Error escaping its loop would end it) makes the model unhealthy. */
    @Test
    void aDeadInferenceWorkerTurnsTheStateToFailed() throws InterruptedException {
        try (ModelRuntime runtime = ModelRuntime.start(settings("mobilenet_v2"))) {
            InferenceQueue inference = runtime.await(Duration.ofMinutes(1)).inference();
            Thread worker = inference.workers().get(0);

            worker.interrupt();
            worker.join(10_000);

            assertThat(worker.isAlive()).isFalse();
            assertThat(runtime.state()).isEqualTo(ModelRuntime.State.FAILED);
        }
    }

    @Test
    void closeStopsTheQueueAndLaterCallsAreNotReady() {
        ModelRuntime runtime = ModelRuntime.start(settings("mobilenet_v2"));
        InferenceQueue inference = runtime.await(Duration.ofMinutes(1)).inference();

        runtime.close();

        assertThat(codeOf(() -> inference.submit(Crop.blank()))).isEqualTo(ErrorCode.NOT_READY);
        assertThat(codeOf(() -> runtime.await(Duration.ofSeconds(1)))).isEqualTo(ErrorCode.NOT_READY);
    }

    /** The model server never answers: close interrupts the download instead of waiting for it. */
    @Test
    void closeDoesNotWaitForAStalledModelDownload() {
        try (LoopbackServer models = new LoopbackServer()) {
            models.route("/stalled.onnx", LoopbackServer.stallBeforeHeaders(Duration.ofSeconds(30)));
            ModelSettings stalled = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_CACHE_DIR", tmp.toString()))
                    .withModel(models.url("/stalled.onnx")).model();
            ModelRuntime runtime = ModelRuntime.start(stalled);
            long start = System.nanoTime();

            runtime.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(codeOf(() -> runtime.await(Duration.ofSeconds(1)))).isEqualTo(ErrorCode.NOT_READY);
        }
    }
}
