package org.imgfn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Cold starts, two ways: the study's idle back-off against a running target (request, idle 1, 2, 4 ...
 * minutes, request again), or {@code --spawn} a local process N times and time its start to the first
 * classified answer.
 */
@Command(name = "coldstart", mixinStandardHelpOptions = true,
        description = "Latency after idle periods, or process start to first answer with --spawn.")
final class ColdStartCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Mixin
    ImageOption image;

    @Option(names = "--idle", defaultValue = "1m,2m,4m,8m,16m,32m", split = ",",
            converter = TargetOptions.DurationConverter.class,
            description = "Idle periods before each further request (default: ${DEFAULT-VALUE})")
    List<Duration> idle;

    @Option(names = "--spawn", description = "Command that starts the function locally (run with bash -c); "
            + "measured from start to the first classified answer at --target")
    String spawn;

    @Option(names = "--runs", defaultValue = "5", description = "Starts with --spawn (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--ready-timeout", defaultValue = "180s", converter = TargetOptions.DurationConverter.class,
            description = "Give up on a start after (default: ${DEFAULT-VALUE})")
    Duration readyTimeout;

    /** One idle period and the request after it. */
    record IdleResult(double idleSeconds, double latencyMs, int status, Boolean coldStart) {}

    /** One process start. */
    record SpawnResult(int run, double startToAnswerMs, double rssMb, int status) {}

    @Override
    public Integer call() throws Exception {
        Requester requester = target.requester();
        byte[] bytes = target.imageBytes(image.url);
        if (spawn != null) {
            spawned(requester, bytes);
        } else {
            idleBackOff(requester, bytes);
        }
        return 0;
    }

    private void idleBackOff(Requester requester, byte[] bytes) {
        List<IdleResult> rows = new ArrayList<>();
        try (Results results = new Results(target.outFolder("coldstart"), "coldstart", System.err)) {
            results.alsoWrite(r -> writeIdle(r, rows));
            results.put("idleSeconds", idle.stream().map(d -> d.toMillis() / 1000.0).toList());
            Sample first = requester.classify("first", image.url, bytes);
            results.add(first);
            rows.add(new IdleResult(0, first.latencyMs(), first.status(), first.coldStart()));
            for (Duration period : idle) {
                System.err.printf(Locale.ROOT, "idle %.0f s%n", period.toMillis() / 1000.0);
                LoadCommand.sleepSeconds(period.toMillis() / 1000.0);
                String scenario = String.format(Locale.ROOT, "after-idle-%.0fs", period.toMillis() / 1000.0);
                Sample sample = requester.classify(scenario, image.url, bytes);
                results.add(sample);
                rows.add(new IdleResult(period.toMillis() / 1000.0, sample.latencyMs(), sample.status(), sample.coldStart()));
            }
        }
    }

    private void spawned(Requester requester, byte[] bytes) throws IOException, InterruptedException {
        List<SpawnResult> rows = new ArrayList<>();
        try (Results results = new Results(target.outFolder("coldstart"), "coldstart-spawn", System.err)) {
            results.put("command", spawn);
            results.alsoWrite(r -> writeSpawned(r, rows));
            for (int run = 1; run <= runs; run++) {
                rows.add(startOnce(run, requester, bytes, results));
            }
        }
    }

    private SpawnResult startOnce(int run, Requester requester, byte[] bytes, Results results)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", spawn).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = start + readyTimeout.toNanos();
            Sample sample;
            do {
                sample = requester.classify("spawn-" + run, image.url, bytes);
                if (!sample.ok()) {
                    Thread.sleep(50);
                }
            } while (!sample.ok() && process.isAlive() && System.nanoTime() < deadline);
            double startToAnswer = (System.nanoTime() - start) / 1e6;
            results.add(sample);
            return new SpawnResult(run, startToAnswer, rssMb(process.toHandle()), sample.status());
        } finally {
            stop(process);
        }
    }

    /** Resident memory of the process and its descendants, from /proc (Linux). */
    static double rssMb(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        long kb = 0;
        for (ProcessHandle p : all) {
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            try (Stream<String> lines = Files.lines(status)) {
                kb += lines.filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .sum();
            } catch (IOException | UncheckedIOException gone) {
                // the process ended meanwhile
            }
        }
        return kb / 1024.0;
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
    }

    private static void writeIdle(Results results, List<IdleResult> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("idle_s,latency_ms,status,cold_start");
        rows.forEach(r -> lines.add(String.format(Locale.ROOT, "%.1f,%.1f,%d,%s", r.idleSeconds(), r.latencyMs(),
                r.status(), r.coldStart() == null ? "" : r.coldStart())));
        results.writeLines("coldstart.csv", lines);
        var chart = Charts.xy("Latency after idle periods", "idle before the request (s)", "latency (ms)");
        Charts.line(chart, "latency", rows.stream().map(IdleResult::idleSeconds).toList(),
                rows.stream().map(IdleResult::latencyMs).toList());
        Charts.save(chart, results.folder().resolve("coldstart.png"));
    }

    private static void writeSpawned(Results results, List<SpawnResult> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("run,start_to_answer_ms,rss_mb,status");
        rows.forEach(r -> lines.add(String.format(Locale.ROOT, "%d,%.1f,%.1f,%d", r.run(), r.startToAnswerMs(), r.rssMb(),
                r.status())));
        results.writeLines("spawn.csv", lines);
        results.put("startToAnswerMs", rows.stream().map(SpawnResult::startToAnswerMs).toList());
        results.put("rssMb", rows.stream().map(SpawnResult::rssMb).toList());
        var chart = Charts.xy("Process start to first classified answer", "run", "milliseconds");
        Charts.line(chart, "start to answer", rows.stream().map(SpawnResult::run).toList(),
                rows.stream().map(SpawnResult::startToAnswerMs).toList());
        Charts.save(chart, results.folder().resolve("spawn.png"));
    }
}
