package org.imgfn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Latency and its breakdown (network, cpu, inference) against image size: square JPEGs from 256² to
 * 3200², served by a built-in loopback image server or by any server given as a URL template.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Latency breakdown versus image size (square JPEGs, 256 to 3200 pixels a side).")
final class SweepCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--sizes", defaultValue = "256,512,1024,1536,2048,2560,2880,3200", split = ",",
            description = "Image sides in pixels (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--requests-per-size", defaultValue = "10", description = "Requests at each size (default: ${DEFAULT-VALUE})")
    int requestsPerSize;

    @Option(names = "--image-base-url", description = "URL template with {size} for a server the target can reach, "
            + "e.g. https://picsum.photos/seed/imgfn/{size}/{size}.jpg; default: the built-in loopback server "
            + "(the target must then allow loopback URLs: CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true)")
    String imageBaseUrl;

    /** Means at one size, in milliseconds. */
    record Row(int size, long bytes, double network, double cpu, double inference, double total, double latency,
               long failures) {}

    @Override
    public Integer call() throws Exception {
        Requester requester = target.requester();
        List<Row> rows = new ArrayList<>();
        try (ImageServer server = imageBaseUrl == null ? new ImageServer(null) : null;
                Results results = new Results(target.outFolder("sweep"), "sweep", System.err)) {
            results.alsoWrite(r -> write(r, rows));
            for (int size : sizes) {
                String url = imageBaseUrl == null ? server.url("/synthetic/" + size + ".jpg")
                        : imageBaseUrl.replace("{size}", Integer.toString(size));
                byte[] bytes = target.imageBytes(url);
                String scenario = "sweep-" + size;
                requester.classify("warmup-" + size, url, bytes);
                List<Sample> samples = new ArrayList<>();
                for (int i = 0; i < requestsPerSize; i++) {
                    Sample sample = requester.classify(scenario, url, bytes);
                    samples.add(sample);
                    results.add(sample);
                }
                rows.add(row(size, imageBaseUrl == null ? SyntheticImages.jpeg(size).length : bytes.length, samples));
            }
        }
        return 0;
    }

    private static Row row(int size, long bytes, List<Sample> samples) {
        List<Sample> ok = samples.stream().filter(Sample::ok).toList();
        return new Row(size, bytes, mean(ok, Sample::networkMs), mean(ok, Sample::cpuMs), mean(ok, Sample::inferenceMs),
                mean(ok, Sample::totalMs), mean(ok, Sample::latencyMs), samples.size() - ok.size());
    }

    private static double mean(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> field) {
        return samples.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private static void write(Results results, List<Row> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("size,pixels,image_bytes,network_ms,cpu_ms,inference_ms,total_ms,latency_ms,failures");
        rows.forEach(r -> lines.add(String.format(Locale.ROOT, "%d,%d,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%d", r.size(),
                (long) r.size() * r.size(), r.bytes(), r.network(), r.cpu(), r.inference(), r.total(), r.latency(),
                r.failures())));
        results.writeLines("sweep.csv", lines);
        results.put("rows", rows);
        if (rows.isEmpty()) {
            return;
        }
        List<String> labels = rows.stream().map(r -> r.size() + "²").toList();
        var breakdown = Charts.stacked("Server time by stage and image size", "image size (pixels)", "mean ms");
        breakdown.addSeries("network", labels, rows.stream().map(r -> zeroIfNaN(r.network())).toList());
        breakdown.addSeries("cpu", labels, rows.stream().map(r -> zeroIfNaN(r.cpu())).toList());
        breakdown.addSeries("inference", labels, rows.stream().map(r -> zeroIfNaN(r.inference())).toList());
        Charts.save(breakdown, results.folder().resolve("sweep-breakdown.png"));
        var total = Charts.xy("Total time versus pixel count", "megapixels", "mean ms");
        List<Double> megapixels = rows.stream().map(r -> (double) r.size() * r.size() / 1e6).toList();
        Charts.line(total, "server total", megapixels, rows.stream().map(r -> zeroIfNaN(r.total())).toList());
        Charts.line(total, "client latency", megapixels, rows.stream().map(r -> zeroIfNaN(r.latency())).toList());
        Charts.save(total, results.folder().resolve("sweep-total.png"));
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
