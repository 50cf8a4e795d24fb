package org.imgfn.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.image.Crop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A model loaded into its DJL engine, with its labels and the batch size it accepts. */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final Model model;
    private final OrtSession.SessionOptions sessionOptions;
    private final ModelInfo info;
    private final Labels labels;
    private final int maxBatch;

    private LoadedModel(Model model, OrtSession.SessionOptions sessionOptions, ModelInfo info, Labels labels,
            int maxBatch) {
        this.model = model;
        this.sessionOptions = sessionOptions;
        this.info = info;
        this.labels = labels;
        this.maxBatch = maxBatch;
    }

    /**
     * Loads {@code file} into its engine, checks that it classifies into as many classes as
     * {@code labels} has, and finds the largest batch it accepts (up to {@code wantedBatch}) when the
     * file does not say.
     */
    public static LoadedModel load(ModelFile file, Labels labels, int wantedBatch, int intraOpThreads) {
        long start = System.nanoTime();
        EngineSettings.apply(intraOpThreads);
        InferenceEngine engine = file.engine();
        if (!engine.isPresent()) {
            throw new IllegalStateException("the " + engine.djlName() + " engine is not in this build, so it cannot run "
                    + file.name() + engine.extension() + ": build with -Ppytorch, or use an .onnx model");
        }
        Model model = Model.newInstance(file.name(), Device.cpu(), engine.djlName());
        OrtSession.SessionOptions sessionOptions = null;
        try {
            if (engine == InferenceEngine.ONNX_RUNTIME) {
                sessionOptions = sessionOptions(intraOpThreads);
                model.setBlock(onnxRuntimeBlock(model, file, sessionOptions));
            } else {
                model.load(new ByteArrayInputStream(file.toArray()), Map.of());
            }
            int outputs = classCount(model, 1);
            if (outputs != labels.size()) {
                throw new IllegalStateException("the model " + file.name() + " outputs " + outputs
                        + " classes but the synset has " + labels.size() + " labels (CLASSIFIER_SYNSET)");
            }
            int maxBatch = Math.min(wantedBatch, file.knownMaxBatch() > 0 ? file.knownMaxBatch() : probeBatch(model));
            LOG.info("Loaded model {} (sha256 {}) on {} in {} ms; batches of up to {}", file.name(), file.sha256(),
                    engine.djlName(), (System.nanoTime() - start) / 1_000_000, maxBatch);
            return new LoadedModel(model, sessionOptions, file.info(), labels, maxBatch);
        } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
            model.close();
            if (sessionOptions != null) {
                sessionOptions.close();
            }
            throw new IllegalStateException("cannot load the model " + file.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * ONNX Runtime takes its threads per session: {@code intraOpThreads} for one forward pass, no
     * inter-op pool (MobileNetV2 is one chain of operators), and no spinning: idle intra-op threads that
     * spin take the CPU that decoding needs under load (docs/performance.md). libtorch's threads come
     * from {@link EngineSettings}. Public for the bench, which times a bare session against the server's path.
     */
    public static OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /**
     * The session made from the model's bytes where they lie, as the block of DJL's model: DJL's own
     * load from a stream would copy them twice onto the heap first, and ONNX Runtime once more.
     */
    private static OrtSymbolBlock onnxRuntimeBlock(Model model, ModelFile file, OrtSession.SessionOptions options)
            throws OrtException {
        OrtSession session = OrtEnvironment.getEnvironment().createSession(file.bytes(), options);
        return new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager());
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

    /** A predictor of its own for one thread (a DJL predictor is not thread-safe), turning crops into probabilities. */
    Predictor<List<Crop>, float[][]> newPredictor() {
        return model.newPredictor(new BatchTranslator());
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
        if (sessionOptions != null) {
            sessionOptions.close();
        }
    }
}
