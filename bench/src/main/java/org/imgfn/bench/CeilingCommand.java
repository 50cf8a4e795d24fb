package org.imgfn.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.image.Crop;
import org.imgfn.core.model.InferenceQueue;
import org.imgfn.core.model.ModelRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The inference ceiling: images per second that the model alone reaches, in full batches through the
 * same model runtime the server uses, with no download, decoding or HTTP. A server can at best approach
 * it; the ratio of its throughput to this is how much the rest costs. The {@code CLASSIFIER_*}
 * variables apply (engine, threads, workers, batch size), so each combination can be measured.
 */
@Command(name = "inference-ceiling", mixinStandardHelpOptions = true,
        description = "Forward-only batched images/s of the model, in-process: the ceiling for throughput.")
final class CeilingCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE})")
    int seconds;

    @Override
    public Integer call() throws Exception {
        ClassifierConfig config = input.config();
        Crop crop = input.crop(config);
        try (ModelRuntime runtime = ModelRuntime.start(config.model())) {
            ModelRuntime.ServingModel serving = runtime.await(Duration.ofMinutes(2));
            InferenceQueue queue = serving.inference();
            int maxBatch = serving.loaded().maxBatch();
            int outstanding = 2 * maxBatch * queue.workerCount();
            Semaphore slots = new Semaphore(outstanding);
            AtomicLong done = new AtomicLong();
            long warmupEnd = System.nanoTime() + 2_000_000_000L;
            long end = warmupEnd + seconds * 1_000_000_000L;
            long fromCount = -1;
            long fromTime = 0;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (fromCount < 0 && now >= warmupEnd) {
                    fromCount = done.get();
                    fromTime = now;
                }
                slots.acquire();
                CompletableFuture<float[]> result = queue.submit(crop);
                result.whenComplete((probabilities, error) -> {
                    done.incrementAndGet();
                    slots.release();
                });
            }
            double rate = (done.get() - fromCount) / ((System.nanoTime() - fromTime) / 1e9);
            slots.acquire(outstanding);
            System.out.printf(Locale.ROOT, "inference ceiling: %.1f images/s (model %s on %s, %d workers,"
                    + " batches of up to %d, %d intra-op threads)%n", rate, input.model, serving.loaded().info().engine(),
                    queue.workerCount(), maxBatch, config.model().intraOpThreads());
        }
        return 0;
    }
}
