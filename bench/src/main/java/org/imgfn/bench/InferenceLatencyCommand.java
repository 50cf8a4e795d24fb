package org.imgfn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.image.Crop;
import org.imgfn.core.model.InferenceEngine;
import org.imgfn.core.model.InferenceQueue;
import org.imgfn.core.model.LoadedModel;
import org.imgfn.core.model.ModelFile;
import org.imgfn.core.model.ModelRuntime;
import org.imgfn.core.model.ModelSettings;
import org.imgfn.core.model.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One image at a time, as a serial client sees the model: the forward pass alone (a bare ONNX Runtime
 * session with the server's options, its input already a tensor) against the same image through the
 * server's inference queue (the hand-off to a worker and back, the batch tensor, DJL, the softmax). The
 * difference is what the server's serial {@code inference} stage adds to the pass. Passes alternate
 * between the two. The {@code CLASSIFIER_*} variables apply; ONNX Runtime models only.
 */
@Command(name = "inference-latency", mixinStandardHelpOptions = true,
        description = "Serial latency of the forward pass alone against the same image through the server's inference queue.")
final class InferenceLatencyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelInput input;

    @Option(names = "--passes", defaultValue = "300", description = "Measured passes of each (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--warmup", defaultValue = "50", description = "Passes of each before measuring (default: ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public Integer call() throws Exception {
        ClassifierConfig config = input.config();
        ModelSettings settings = config.model();
        ModelFile file = ModelSource.load(settings.model(), settings.engine(), settings.modelSha256(), settings.cacheDir());
        if (file.engine() != InferenceEngine.ONNX_RUNTIME) {
            spec.commandLine().getErr().println("inference-latency times ONNX Runtime models; " + input.model + " runs on "
                    + file.engine().djlName());
            return 2;
        }
        Crop crop = input.crop(config);
        FloatBuffer tensor = ByteBuffer.allocateDirect(Crop.TENSOR_LENGTH * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        crop.normaliseInto(tensor, 0);
        double[] bare = new double[passes];
        double[] queued = new double[passes];
        try (ModelRuntime runtime = ModelRuntime.start(settings)) {
            // DJL's engine makes ONNX Runtime's environment with settings of its own: made here first, the engine fails.
            InferenceQueue queue = runtime.await(Duration.ofMinutes(2)).inference();
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = LoadedModel.sessionOptions(settings.intraOpThreads());
                    OrtSession session = environment.createSession(file.bytes(), options);
                    OnnxTensor input = OnnxTensor.createTensor(environment, tensor, new long[] {1, 3, Crop.SIDE, Crop.SIDE})) {
                time(session, input, queue, crop, bare, queued);
            }
            double bareMedian = Percentiles.of(bare, 0.5);
            double queuedMedian = Percentiles.of(queued, 0.5);
            spec.commandLine().getOut().printf(Locale.ROOT, "forward pass alone: median %.2f ms (p90 %.2f); through the"
                    + " inference queue: median %.2f ms (p90 %.2f); added %.2f ms (model %s, %d intra-op threads,"
                    + " %d workers)%n", bareMedian, Percentiles.of(bare, 0.9), queuedMedian, Percentiles.of(queued, 0.9),
                    queuedMedian - bareMedian, input.model, settings.intraOpThreads(), queue.workerCount());
        }
        return 0;
    }

    /** Alternates a bare pass and a queued one, {@link #warmup} of each unrecorded first; milliseconds. */
    private void time(OrtSession session, OnnxTensor input, InferenceQueue queue, Crop crop, double[] bare, double[] queued)
            throws OrtException {
        Map<String, OnnxTensor> inputs = Map.of(session.getInputNames().iterator().next(), input);
        for (int i = -warmup; i < passes; i++) {
            long start = System.nanoTime();
            session.run(inputs).close();
            long between = System.nanoTime();
            queue.submit(crop).join();
            long end = System.nanoTime();
            if (i >= 0) {
                bare[i] = (between - start) / 1e6;
                queued[i] = (end - between) / 1e6;
            }
        }
    }
}
