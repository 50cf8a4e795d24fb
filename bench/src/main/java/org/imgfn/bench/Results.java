package org.imgfn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.imgfn.core.DaemonThreads;

/**
 * The samples of one experiment: collected from many threads, shown on a live status line every second,
 * and written to a results folder ({@code requests.csv}, {@code summary.csv}, {@code summary.json}, plots)
 * once, at the end or on Ctrl-C, whichever comes first.
 */
final class Results implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;
    private final String kind;
    private final PrintStream status;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final Histogram live = new ConcurrentHistogram(3_600_000_000L, 3);
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("status-line"));
    private final AtomicBoolean written = new AtomicBoolean();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Thread onInterrupt = new Thread(this::write, "write-on-ctrl-c");
    private Consumer<Results> extraOutputs = results -> { };

    /**
     * @param folder where the files go (created)
     * @param kind   the experiment ({@code load}, {@code ramp}, ...), recorded in summary.json
     */
    Results(Path folder, String kind, PrintStream status) {
        this.folder = folder;
        this.kind = kind;
        this.status = status;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ticker.scheduleAtFixedRate(this::printStatus, 1, 1, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    void add(Sample sample) {
        samples.add(sample);
        live.recordValue(Math.max(1, Math.round(sample.latencyMs() * 1000)));
    }

    List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    Path folder() {
        return folder;
    }

    /** Adds a value to summary.json (a table of levels, the schedule used, ...). */
    void put(String key, Object value) {
        synchronized (extra) {
            extra.put(key, value);
        }
    }

    /** Writes {@code lines} to {@code fileName} in the results folder. */
    void writeLines(String fileName, List<String> lines) {
        try {
            Files.write(folder.resolve(fileName), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(fileName), e);
        }
    }

    /** Writes the experiment's own files (its CSVs and plots, extra summary values) before summary.json. */
    void alsoWrite(Consumer<Results> outputs) {
        this.extraOutputs = outputs;
    }

    private void printStatus() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        List<Sample> now = samples();
        long failures = now.stream().filter(s -> !s.ok()).count();
        status.printf(Locale.ROOT, "[%5.0fs] requests %d | %.1f req/s | failures %d | p50 %.0f ms | p95 %.0f ms%n",
                elapsed, now.size(), now.size() / Math.max(elapsed, 0.001), failures,
                live.getTotalCount() == 0 ? 0.0 : live.getValueAtPercentile(50) / 1000.0,
                live.getTotalCount() == 0 ? 0.0 : live.getValueAtPercentile(95) / 1000.0);
    }

    /** Summaries per scenario, and one over all requests when there are several scenarios. */
    List<Summary> summaries() {
        Map<String, List<Sample>> byScenario = new LinkedHashMap<>();
        for (Sample s : samples()) {
            byScenario.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
        }
        List<Summary> out = new ArrayList<>();
        byScenario.forEach((scenario, list) -> out.add(Summary.of(scenario, list)));
        if (byScenario.size() > 1) {
            out.add(Summary.of("all", samples()));
        }
        return out;
    }

    /** Writes everything once; later calls (the Ctrl-C hook after a normal end) do nothing. */
    void write() {
        if (!written.compareAndSet(false, true)) {
            return;
        }
        ticker.shutdownNow();
        try {
            List<String> lines = new ArrayList<>();
            lines.add(Sample.CSV_HEADER);
            samples().forEach(s -> lines.add(s.csv()));
            writeLines("requests.csv", lines);
            List<Summary> summaries = summaries();
            List<String> summaryLines = new ArrayList<>();
            summaryLines.add(Summary.CSV_HEADER);
            summaries.forEach(s -> summaryLines.add(s.csv()));
            writeLines("summary.csv", summaryLines);
            extraOutputs.accept(this);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", kind);
            json.put("summaries", summaries);
            synchronized (extra) {
                json.putAll(extra);
            }
            JSON.writeValue(folder.resolve("summary.json").toFile(), json);
            status.println("results in " + folder.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + folder, e);
        }
    }

    @Override
    public void close() {
        write();
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it is what called us
        }
    }
}
