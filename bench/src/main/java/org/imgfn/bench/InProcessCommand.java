package org.imgfn.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.Timings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The core alone, no HTTP server in front: per-stage times of each image at one thread (images served
 * from loopback), then classifications per second with several threads.
 */
@Command(name = "inprocess", mixinStandardHelpOptions = true,
        description = "In-process benchmark of the core: per-stage times per image, throughput per thread count.")
final class InProcessCommand implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "../shared/images", description = "Folder of images (default: ${DEFAULT-VALUE})")
    Path images;

    @Option(names = "--names", defaultValue = "chelsea.png,coffee.png,rocket.jpg,camera.png,horse.png", split = ",",
            description = "Images in that folder (default: ${DEFAULT-VALUE})")
    List<String> names;

    @Option(names = "--model", defaultValue = "mobilenet_v2", description = "Model (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--requests", defaultValue = "100", description = "Measured classifications per image (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--warmup", defaultValue = "20", description = "Classifications before measuring (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", defaultValue = "2,8", split = ",", description = "Thread counts (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--seconds", defaultValue = "10", description = "Seconds per thread count (default: ${DEFAULT-VALUE})")
    int seconds;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true");
        ClassifierConfig config = ClassifierConfig.fromEnv(env).withModel(model);
        try (ImageServer server = new ImageServer(images.toAbsolutePath().normalize());
                Classifier classifier = Classifier.open(config)) {
            classifier.runtime().await(Duration.ofMinutes(2));
            System.out.printf("model %s, %d CPUs; medians (p95) in ms over %d requests, images from loopback%n",
                    model, Runtime.getRuntime().availableProcessors(), requests);
            System.out.println("| image | network | cpu | inference | total | (total-inference)/inference |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            for (String name : names) {
                ClassifyRequest request = new ClassifyRequest.FromUrl(URI.create(server.url("/files/" + name)), 3);
                for (int i = 0; i < warmup; i++) {
                    classifier.classify(request);
                }
                List<Timings> timings = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    timings.add(classifier.classify(request).timings());
                }
                double overhead = median(timings, t -> (t.total() - t.inference()) / t.inference());
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %.0f %% |%n", name,
                        stat(timings, Timings::network), stat(timings, Timings::cpu), stat(timings, Timings::inference),
                        stat(timings, Timings::total), overhead * 100);
            }
            ClassifyRequest chelsea = new ClassifyRequest.FromUrl(URI.create(server.url("/files/" + names.get(0))), 3);
            for (int n : threads) {
                System.out.printf(Locale.ROOT, "%d threads: %.1f classifications/s (%s)%n", n,
                        throughput(classifier, chelsea, n), names.get(0));
            }
        }
        return 0;
    }

    private double throughput(Classifier classifier, ClassifyRequest request, int threadCount) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    Classification ignored = classifier.classify(request);
                    done.incrementAndGet();
                }
                return null;
            });
        }
        LoadCommand.sleepSeconds(1);
        long before = done.get();
        long start = System.nanoTime();
        LoadCommand.sleepSeconds(seconds);
        double rate = (done.get() - before) / ((System.nanoTime() - start) / 1e9);
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        return rate;
    }

    private static String stat(List<Timings> timings, ToDoubleFunction<Timings> field) {
        return String.format(Locale.ROOT, "%.1f (%.1f)", median(timings, field), percentile(timings, field, 0.95));
    }

    private static double median(List<Timings> timings, ToDoubleFunction<Timings> field) {
        return percentile(timings, field, 0.5);
    }

    private static double percentile(List<Timings> timings, ToDoubleFunction<Timings> field, double p) {
        return Percentiles.of(timings.stream().mapToDouble(field).toArray(), p);
    }
}
