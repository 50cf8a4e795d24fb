package org.imgfn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * McGrath and Brenner's concurrency test: closed-loop clients from a minimum to a maximum, one more at
 * every step; the responses per second at each level, over several repeats.
 */
@Command(name = "ramp", mixinStandardHelpOptions = true,
        description = "Concurrency ramp: responses per second at 1..N closed-loop clients, repeated.")
final class RampCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Mixin
    ImageOption image;

    @Option(names = "--min-clients", defaultValue = "1", description = "First level (default: ${DEFAULT-VALUE})")
    int minClients;

    @Option(names = "--max-clients", defaultValue = "15", description = "Last level (default: ${DEFAULT-VALUE})")
    int maxClients;

    @Option(names = "--step", defaultValue = "10s", converter = TargetOptions.DurationConverter.class,
            description = "Time at each level (default: ${DEFAULT-VALUE})")
    Duration step;

    @Option(names = "--repeats", defaultValue = "10", description = "Ramps to run (default: ${DEFAULT-VALUE})")
    int repeats;

    /** Responses (and failures) completed while a level was running. */
    record Level(int repeat, int clients, long responses, long failures, double rps) {}

    @Override
    public Integer call() throws Exception {
        if (minClients < 1 || maxClients < minClients) {
            throw new IllegalArgumentException("need 1 <= --min-clients <= --max-clients");
        }
        Requester requester = target.requester();
        byte[] bytes = target.imageBytes(image.url);
        List<Level> levels = new ArrayList<>();
        try (Results results = new Results(target.outFolder("ramp"), "ramp", System.err)) {
            results.alsoWrite(r -> write(r, levels));
            for (int repeat = 1; repeat <= repeats; repeat++) {
                levels.addAll(ramp(repeat, requester, bytes, results));
            }
        }
        return 0;
    }

    private List<Level> ramp(int repeat, Requester requester, byte[] bytes, Results results) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(maxClients);
        List<Level> levels = new ArrayList<>();
        for (int n = 1; n <= maxClients; n++) {
            String scenario = String.format(Locale.ROOT, "ramp-r%d", repeat);
            clients.submit(() -> {
                while (!stop.get()) {
                    results.add(requester.classify(scenario, image.url, bytes));
                }
            });
            if (n < minClients) {
                continue;
            }
            long from = System.currentTimeMillis();
            LoadCommand.sleepSeconds(step.toMillis() / 1000.0);
            long to = System.currentTimeMillis();
            long responses = 0;
            long failures = 0;
            for (Sample s : results.samples()) {
                long doneAt = s.timestampMs() + Math.round(s.latencyMs());
                if (s.scenario().equals(scenario) && doneAt >= from && doneAt < to) {
                    responses++;
                    failures += s.ok() ? 0 : 1;
                }
            }
            levels.add(new Level(repeat, n, responses, failures, (responses - failures) / ((to - from) / 1000.0)));
        }
        stop.set(true);
        clients.shutdown();
        clients.awaitTermination(2, TimeUnit.MINUTES);
        return levels;
    }

    /** Mean and standard deviation of responses per second at each level, over the repeats. */
    static List<Map<String, Object>> meanPerLevel(List<Level> levels) {
        Map<Integer, List<Double>> byClients = new LinkedHashMap<>();
        levels.forEach(l -> byClients.computeIfAbsent(l.clients(), k -> new ArrayList<>()).add(l.rps()));
        List<Map<String, Object>> out = new ArrayList<>();
        byClients.forEach((clients, rps) -> {
            double mean = rps.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double variance = rps.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / Math.max(1, rps.size() - 1);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("clients", clients);
            row.put("meanRps", mean);
            row.put("stddevRps", Math.sqrt(variance));
            row.put("repeats", rps.size());
            out.add(row);
        });
        return out;
    }

    private static void write(Results results, List<Level> levels) {
        List<String> lines = new ArrayList<>();
        lines.add("repeat,clients,responses,failures,rps");
        levels.forEach(l -> lines.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f", l.repeat(), l.clients(),
                l.responses(), l.failures(), l.rps())));
        results.writeLines("ramp.csv", lines);
        List<Map<String, Object>> means = meanPerLevel(levels);
        results.put("levels", means);
        if (means.isEmpty()) {
            return;
        }
        var chart = Charts.xy("Concurrency ramp", "concurrent clients", "responses per second");
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> error = new ArrayList<>();
        for (Map<String, Object> row : means) {
            x.add((Integer) row.get("clients"));
            y.add((Double) row.get("meanRps"));
            error.add((Double) row.get("stddevRps"));
        }
        chart.addSeries("mean ± sd over repeats", x, y, error);
        Charts.save(chart, results.folder().resolve("ramp.png"));
    }
}
