package org.imgfn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Locust-style closed-loop load: virtual users added at a spawn rate, each sending a request, waiting
 * for its answer and its think time, and sending the next, until the duration (or request count) is up.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Closed-loop virtual users, as Locust runs them (the study's load scenarios).")
final class LoadCommand implements Callable<Integer> {
    /** The study's three scenarios. */
    enum Scenario {
        ONE_USER("1user", 1, 1),
        HUNDRED_USERS_SPAWN_2("100u-spawn2", 100, 2),
        HUNDRED_USERS_SPAWN_10("100u-spawn10", 100, 10);

        final String label;
        final int users;
        final double spawnRate;

        Scenario(String label, int users, double spawnRate) {
            this.label = label;
            this.users = users;
            this.spawnRate = spawnRate;
        }

        static Scenario of(String label) {
            for (Scenario s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--scenario is 1user, 100u-spawn2 or 100u-spawn10, not " + label);
        }
    }

    @Mixin
    TargetOptions target;

    @Mixin
    ImageOption image;

    @Option(names = "--scenario", description = "1user | 100u-spawn2 | 100u-spawn10: sets --users and --spawn-rate")
    String scenario;

    @Option(names = "--users", defaultValue = "1", description = "Virtual users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--spawn-rate", defaultValue = "1", description = "Users added per second (default: ${DEFAULT-VALUE})")
    double spawnRate;

    @Option(names = "--duration", defaultValue = "60s", converter = TargetOptions.DurationConverter.class,
            description = "How long to run, users being spawned included (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--requests", defaultValue = "0", description = "Stop after this many requests (0: no limit)")
    long maxRequests;

    @Option(names = "--wait", defaultValue = "0", description = "Think time between a user's requests, seconds: 0, 1 or a range 1-3")
    String waitRange;

    @Option(names = "--distinct-images", defaultValue = "1",
            description = "Ask for this many different images: variants (?variant=K) of a /synthetic/SIZE.jpg URL"
                    + " of the built-in image server, each with its own bytes and ETag (default: ${DEFAULT-VALUE})")
    int distinctImages;

    @Option(names = "--image-order", defaultValue = "rotate", converter = OrderConverter.class,
            description = "rotate | random: how requests take the distinct images (default: ${DEFAULT-VALUE})")
    ImageSet.Order imageOrder;

    @Override
    public Integer call() throws Exception {
        String name = "load";
        if (scenario != null) {
            Scenario preset = Scenario.of(scenario);
            users = preset.users;
            spawnRate = preset.spawnRate;
            name = preset.label;
        } else if (users > 1) {
            name = users + "u-spawn" + (spawnRate == Math.rint(spawnRate) ? Long.toString((long) spawnRate) : Double.toString(spawnRate));
        }
        double[] think = thinkRange(waitRange);
        Requester requester = target.requester();
        ImageSet images = ImageSet.of(image.url, distinctImages, imageOrder, target.method == Requester.Method.POST_BYTES);
        String scenarioName = name;
        try (Results results = new Results(target.outFolder("load"), "load", System.err)) {
            results.put("users", users);
            results.put("spawnRate", spawnRate);
            results.put("targets", target.targets.stream().map(Object::toString).toList());
            results.put("method", target.method.name());
            results.put("distinctImages", images.size());
            results.put("imageOrder", imageOrder.name().toLowerCase(java.util.Locale.ROOT));
            results.alsoWrite(LoadCommand::plots);
            long end = System.nanoTime() + duration.toNanos();
            AtomicLong sent = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(users);
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                long startAt = System.nanoTime() + (long) (u / spawnRate * 1e9);
                running.add(pool.submit(() -> {
                    sleepUntil(startAt);
                    while (System.nanoTime() < end && (maxRequests == 0 || sent.incrementAndGet() <= maxRequests)) {
                        ImageSet.Image next = images.next();
                        results.add(requester.classify(scenarioName, next.url(), next.bytes()));
                        sleepSeconds(think[0] + ThreadLocalRandom.current().nextDouble() * (think[1] - think[0]));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> user : running) {
                user.get();
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return 0;
    }

    static final class OrderConverter implements picocli.CommandLine.ITypeConverter<ImageSet.Order> {
        @Override
        public ImageSet.Order convert(String value) {
            return ImageSet.Order.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    static void plots(Results results) {
        List<Sample> samples = results.samples();
        if (samples.isEmpty()) {
            return;
        }
        long t0 = samples.stream().mapToLong(Sample::timestampMs).min().orElse(0);
        var latency = Charts.xy("Latency over time", "seconds since start", "latency (ms)");
        List<Double> okX = new ArrayList<>();
        List<Double> okY = new ArrayList<>();
        List<Double> failX = new ArrayList<>();
        List<Double> failY = new ArrayList<>();
        for (Sample s : samples) {
            (s.ok() ? okX : failX).add((s.timestampMs() - t0) / 1000.0);
            (s.ok() ? okY : failY).add(s.latencyMs());
        }
        if (!okX.isEmpty()) {
            Charts.scatter(latency, "answered 200", okX, okY);
        }
        if (!failX.isEmpty()) {
            Charts.scatter(latency, "failed", failX, failY);
        }
        Charts.save(latency, results.folder().resolve("latency-over-time.png"));

        int seconds = (int) ((samples.stream().mapToLong(s -> s.timestampMs() + Math.round(s.latencyMs())).max()
                .orElse(t0) - t0) / 1000) + 1;
        long[] done = new long[seconds];
        for (Sample s : samples) {
            done[(int) Math.min(seconds - 1, (s.timestampMs() + Math.round(s.latencyMs()) - t0) / 1000)]++;
        }
        List<Integer> x = new ArrayList<>();
        List<Long> y = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            x.add(i);
            y.add(done[i]);
        }
        var rps = Charts.xy("Responses per second", "seconds since start", "responses/s");
        Charts.line(rps, "responses/s", x, y);
        Charts.save(rps, results.folder().resolve("rps-over-time.png"));
    }

    private static double[] thinkRange(String text) {
        String[] parts = text.split("-");
        double min = Double.parseDouble(parts[0]);
        double max = parts.length > 1 ? Double.parseDouble(parts[1]) : min;
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("--wait is SECONDS or MIN-MAX, not " + text);
        }
        return new double[] {min, max};
    }

    static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            sleepSeconds(wait / 1e9);
        }
    }

    static void sleepSeconds(double seconds) {
        if (seconds <= 0) {
            return;
        }
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
