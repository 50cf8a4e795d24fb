package org.imgfn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.imgfn.core.Sha256;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourceTest {
    static final String FLOAT_SHA = "cac5dbbf4347b784ab1ee9232ccceffbb30eb3f8c8801486f9e2d0152ff6b10a";
    static final String INT8_SHA = "76220a73afc288ecfd8c8f110eea99cbea14643b54f8f86969ffa60aee658ffd";
    static final String ONNX_SHA = "c4d36d462cd0f566e9376d1ad7874b876cd1d489bbe908bbf9f1cabd817b5628";

    @TempDir
    Path tmp;

    @Test
    void loadsTheBundledModelsByNameInTheirDefaultFormat() {
        ModelFile floatModel = ModelSource.load("mobilenet_v2", null, null, tmp);
        ModelFile int8Model = ModelSource.load("mobilenet_v2_int8", null, null, tmp);

        assertThat(floatModel.sha256()).isEqualTo(ONNX_SHA);
        assertThat(floatModel.engine()).isEqualTo(InferenceEngine.ONNX_RUNTIME);
        assertThat(int8Model.sha256()).isEqualTo(INT8_SHA);
        assertThat(int8Model.engine()).isEqualTo(InferenceEngine.PYTORCH);
    }

    @Test
    void loadsTheBundledFloatModelForTheEngineAskedFor() {
        ModelFile torchScript = ModelSource.load("mobilenet_v2", InferenceEngine.PYTORCH, null, tmp);

        assertThat(torchScript.sha256()).isEqualTo(FLOAT_SHA);
        assertThat(torchScript.engine()).isEqualTo(InferenceEngine.PYTORCH);
        assertThat(torchScript.info().engine()).isEqualTo("PyTorch");
    }

    @Test
    void refusesAnEngineTheBundledModelHasNoFileFor() {
        assertThatThrownBy(() -> ModelSource.load("mobilenet_v2_int8", InferenceEngine.ONNX_RUNTIME, null, tmp))
                .hasMessageContaining("no .onnx file").hasMessageContaining("CLASSIFIER_ENGINE=onnxruntime");
    }

    @Test
    void choosesTheEngineOfAFileByItsExtension() {
        ModelFile onnx = ModelSource.load(SharedFiles.model("mobilenet_v2.onnx").toString(), null, ONNX_SHA, tmp);

        assertThat(onnx.engine()).isEqualTo(InferenceEngine.ONNX_RUNTIME);
        assertThat(onnx.name()).isEqualTo("mobilenet_v2");
    }

    @Test
    void refusesAnEngineThatDisagreesWithTheFile() {
        assertThatThrownBy(() -> ModelSource.load(SharedFiles.model("mobilenet_v2.onnx").toString(), InferenceEngine.PYTORCH,
                null, tmp)).hasMessageContaining("OnnxRuntime engine runs").hasMessageContaining("CLASSIFIER_ENGINE is pytorch");
    }

    @Test
    void needsTheEngineForAFileWithoutAKnownExtension() throws IOException {
        Path model = Files.copy(SharedFiles.model("mobilenet_v2.onnx"), tmp.resolve("model.bin"));

        assertThatThrownBy(() -> ModelSource.load(model.toString(), null, null, tmp))
                .hasMessageContaining("cannot tell which engine runs model.bin");
        assertThat(ModelSource.load(model.toString(), InferenceEngine.ONNX_RUNTIME, null, tmp).sha256()).isEqualTo(ONNX_SHA);
    }

    /** Bundled digests come from the bundled SHA256SUMS; they must be those of the bundled bytes. */
    @Test
    void bundledDigestsAreThoseOfTheBundledBytes() {
        for (String name : ModelSource.BUNDLED.keySet()) {
            ModelFile file = ModelSource.load(name, null, null, tmp);
            assertThat(Sha256.hex(file.bytes())).as(name).isEqualTo(file.sha256());
        }
    }

    @Test
    void bundledInt8ModelIsKnownToTakeOneImagePerPass() {
        assertThat(ModelSource.load("mobilenet_v2_int8", null, INT8_SHA, tmp).knownMaxBatch()).isEqualTo(1);
    }

    @Test
    void loadsAModelFileByPath() {
        ModelFile file = ModelSource.load(SharedFiles.model("mobilenet_v2_int8.pt").toString(), null, INT8_SHA, tmp);

        assertThat(file.name()).isEqualTo("mobilenet_v2_int8");
        assertThat(file.knownMaxBatch()).isZero();
    }

    @Test
    void namesAMissingModelFile() {
        assertThatThrownBy(() -> ModelSource.load(tmp.resolve("nope.pt").toString(), null, null, tmp))
                .hasMessageContaining("model file not found").hasMessageContaining("nope.pt");
    }

    @Test
    void refusesAModelWhoseDigestDiffers() {
        assertThatThrownBy(() -> ModelSource.load("mobilenet_v2", null, INT8_SHA, tmp))
                .hasMessageContaining("CLASSIFIER_MODEL_SHA256").hasMessageContaining(ONNX_SHA);
    }

    @Test
    void downloadsAModelOnceAndReusesTheCachedFile() throws IOException {
        byte[] model = Files.readAllBytes(SharedFiles.model("mobilenet_v2_int8.pt"));
        try (LoopbackServer server = new LoopbackServer()) {
            server.route("/m/int8.pt", LoopbackServer.body("application/octet-stream", model));
            String url = server.url("/m/int8.pt");

            ModelFile first = ModelSource.load(url, null, INT8_SHA, tmp);
            ModelFile second = ModelSource.load(url, null, INT8_SHA, tmp);

            assertThat(first.sha256()).isEqualTo(INT8_SHA);
            assertThat(second.toArray()).isEqualTo(model);
            assertThat(first.name()).isEqualTo("int8");
            assertThat(server.hits("/m/int8.pt")).isEqualTo(1);
        }
    }

    @Test
    void reportsAFailedModelDownload() {
        try (LoopbackServer server = new LoopbackServer()) {
            server.route("/gone.pt", LoopbackServer.status(404));

            assertThatThrownBy(() -> ModelSource.load(server.url("/gone.pt"), null, null, tmp)).hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void probesThatAnUnknownInt8ModelTakesOneImagePerPass() {
        ModelFile file = ModelSource.load(SharedFiles.model("mobilenet_v2_int8.pt").toString(), null, null, tmp);
        try (LoadedModel model = LoadedModel.load(file, Labels.load(null), 8, 2)) {
            assertThat(model.maxBatch()).isEqualTo(1);
        }
    }

    @Test
    void refusesASynsetThatDoesNotFitTheModel() throws IOException {
        Path synset = Files.write(tmp.resolve("ten.txt"), Collections.nCopies(10, "label"));

        assertThatThrownBy(() -> LoadedModel.load(ModelSource.load("mobilenet_v2_int8", null, null, tmp), Labels.load(synset), 1, 2))
                .hasMessageContaining("1000 classes").hasMessageContaining("10 labels");
    }

    @Test
    void namesAMissingSynsetFile() {
        assertThatThrownBy(() -> Labels.load(tmp.resolve("missing.txt"))).hasMessageContaining("missing.txt");
    }
}
