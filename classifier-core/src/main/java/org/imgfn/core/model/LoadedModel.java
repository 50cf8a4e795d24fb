package org.imgfn.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.image.Crop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A TorchScript model loaded into DJL's PyTorch engine, with its labels and the batch size it accepts. */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final Model model;
    private final ModelInfo info;
    private final Labels labels;
    private final int maxBatch;

    private LoadedModel(Model model, ModelInfo info, Labels labels, int maxBatch) {
        this.model = model;
        this.info = info;
        this.labels = labels;
        this.maxBatch = maxBatch;
    }

    /**
     * Loads {@code file}, checks that it classifies into as many classes as {@code labels} has, and
     * finds the largest batch it accepts (up to {@code wantedBatch}) when the file does not say.
     */
    public static LoadedModel load(ModelFile file, Labels labels, int wantedBatch, int torchThreads) {
        long start = System.nanoTime();
        EngineSettings.apply(torchThreads);
        Model model = Model.newInstance(file.name(), Device.cpu(), "PyTorch");
        try {
            model.load(new ByteArrayInputStream(file.bytes()));
            int outputs = classCount(model, 1);
            if (outputs != labels.size()) {
                throw new IllegalStateException("the model " + file.name() + " outputs " + outputs
                        + " classes but the synset has " + labels.size() + " labels (CLASSIFIER_SYNSET)");
            }
            int maxBatch = Math.min(wantedBatch, file.knownMaxBatch() > 0 ? file.knownMaxBatch() : probeBatch(model));
            LOG.info("Loaded model {} (sha256 {}) in {} ms; batches of up to {}", file.name(), file.sha256(),
                    (System.nanoTime() - start) / 1_000_000, maxBatch);
            return new LoadedModel(model, file.info(), labels, maxBatch);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("cannot load the model " + file.name() + ": " + e.getMessage(), e);
        }
    }

    private static int classCount(Model model, int batch) {
        try (Predictor<List<Crop>, float[][]> predictor = model.newPredictor(new BatchTranslator())) {
            return predictor.predict(Collections.nCopies(batch, Crop.blank()))[0].length;
        } catch (TranslateException e) {
            throw new IllegalStateException("the model does not take a [" + batch + ",3,224,224] input: "
                    + e.getMessage(), e);
        }
    }

    private static int probeBatch(Model model) {
        try {
            classCount(model, 2);
            return Integer.MAX_VALUE;
        } catch (IllegalStateException e) {
            LOG.info("The model takes one image per forward pass: {}", e.getMessage());
            return 1;
        }
    }

    public Model model() {
        return model;
    }

    public ModelInfo info() {
        return info;
    }

    public Labels labels() {
        return labels;
    }

    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void close() {
        model.close();
    }
}
