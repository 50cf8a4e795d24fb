package org.imgfn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Reads results folders (one per target: {@code azure/}, {@code openfaas/}, {@code local/} ...) and writes
 * {@code report.md}: the study's published figures and ours side by side, each experiment's table, the
 * plots, and a cost estimate per million requests.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Side-by-side report.md of several results folders, with plots and costs.")
final class ReportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", description = "Results folders, one per target; each holds experiment folders "
            + "(or is one)")
    List<Path> targets;

    @Option(names = "--out", defaultValue = "report", description = "Where report.md and its plots go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--azure-price-gb-s", defaultValue = "0.000016", description = "USD per GB-s (default: ${DEFAULT-VALUE})")
    double priceGbSecond;

    @Option(names = "--azure-price-per-million", defaultValue = "0.20",
            description = "USD per million executions (default: ${DEFAULT-VALUE})")
    double pricePerMillion;

    @Option(names = "--azure-free-gb-s", defaultValue = "400000", description = "Monthly free GB-s (default: ${DEFAULT-VALUE})")
    double freeGbSeconds;

    @Option(names = "--azure-free-executions", defaultValue = "1000000",
            description = "Monthly free executions (default: ${DEFAULT-VALUE})")
    double freeExecutions;

    @Option(names = "--azure-memory-mb", defaultValue = "512",
            description = "Memory billed per execution, MB, rounded up to 128 MB steps (default: ${DEFAULT-VALUE})")
    double memoryMb;

    @Option(names = "--vm-price-per-hour", defaultValue = "0.0416",
            description = "USD per hour of the faasd VM (default: ${DEFAULT-VALUE}, a 2 vCPU / 4 GB VM)")
    double vmPricePerHour;

    /** One experiment folder of one target. */
    record Experiment(String target, Path folder, JsonNode summary) {
        String kind() {
            return summary.path("kind").asText();
        }
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out.resolve("img"));
        List<Experiment> experiments = new ArrayList<>();
        for (Path target : targets) {
            experiments.addAll(experimentsIn(target));
        }
        CostModel cost = new CostModel(priceGbSecond, pricePerMillion, freeGbSeconds, freeExecutions,
                Math.ceil(memoryMb / 128) * 128 / 1024, vmPricePerHour);
        StringBuilder md = new StringBuilder("# Benchmark report\n\n");
        md.append("Targets: ").append(String.join(", ", targets.stream().map(ReportCommand::name).toList())).append(".\n\n");
        StudyFigures.appendTable(md);
        loadTable(md, experiments);
        rampTable(md, experiments);
        coldStartTables(md, experiments);
        sweepTable(md, experiments);
        costTable(md, experiments, cost);
        plots(md, experiments);
        Files.writeString(out.resolve("report.md"), md);
        System.err.println("report in " + out.resolve("report.md").toAbsolutePath());
        return 0;
    }

    private static List<Experiment> experimentsIn(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("not a results folder: " + target);
        }
        List<Path> folders = new ArrayList<>();
        if (Files.isRegularFile(target.resolve("summary.json"))) {
            folders.add(target);
        } else {
            try (Stream<Path> children = Files.list(target)) {
                children.filter(p -> Files.isRegularFile(p.resolve("summary.json"))).sorted().forEach(folders::add);
            }
        }
        if (folders.isEmpty()) {
            throw new IllegalArgumentException(target + " holds no experiment (no summary.json)");
        }
        List<Experiment> experiments = new ArrayList<>();
        for (Path folder : folders) {
            experiments.add(new Experiment(name(target), folder, JSON.readTree(folder.resolve("summary.json").toFile())));
        }
        return experiments;
    }

    private static String name(Path target) {
        return target.toAbsolutePath().normalize().getFileName().toString();
    }

    private static void loadTable(StringBuilder md, List<Experiment> experiments) {
        md.append("## Load (closed-loop users)\n\n")
                .append("| target | scenario | requests | failures | avg ms | min ms | max ms | median ms | p95 ms | p99 ms | RPS |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Experiment e : of(experiments, "load")) {
            for (JsonNode s : e.summary().path("summaries")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f |%n",
                        e.target(), s.path("scenario").asText(), s.path("requests").asLong(), s.path("failures").asLong(),
                        s.path("avgMs").asDouble(), s.path("minMs").asDouble(), s.path("maxMs").asDouble(),
                        s.path("medianMs").asDouble(), s.path("p95Ms").asDouble(), s.path("p99Ms").asDouble(),
                        s.path("rps").asDouble()));
            }
        }
        md.append('\n');
    }

    private static void rampTable(StringBuilder md, List<Experiment> experiments) {
        List<Experiment> ramps = of(experiments, "ramp");
        if (ramps.isEmpty()) {
            return;
        }
        md.append("## Concurrency ramp (responses per second, mean ± sd over repeats)\n\n| target | clients | mean RPS | sd | repeats |\n")
                .append("| --- | ---: | ---: | ---: | ---: |\n");
        for (Experiment e : ramps) {
            for (JsonNode level : e.summary().path("levels")) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %d |%n", e.target(),
                        level.path("clients").asInt(), level.path("meanRps").asDouble(), level.path("stddevRps").asDouble(),
                        level.path("repeats").asInt()));
            }
        }
        md.append('\n');
    }

    private static void coldStartTables(StringBuilder md, List<Experiment> experiments) throws IOException {
        List<Experiment> idle = of(experiments, "coldstart");
        if (!idle.isEmpty()) {
            md.append("## Cold start after idle periods\n\n| target | idle s | latency ms | status | cold_start |\n")
                    .append("| --- | ---: | ---: | ---: | --- |\n");
            for (Experiment e : idle) {
                for (String[] row : csv(e.folder().resolve("coldstart.csv"))) {
                    md.append(String.format("| %s | %s | %s | %s | %s |%n", e.target(), row[0], row[1], row[2], row[3]));
                }
            }
            md.append('\n');
        }
        List<Experiment> spawned = of(experiments, "coldstart-spawn");
        if (!spawned.isEmpty()) {
            md.append("## Process start to first classified answer\n\n| target | run | start to answer ms | RSS MB | status |\n")
                    .append("| --- | ---: | ---: | ---: | ---: |\n");
            for (Experiment e : spawned) {
                for (String[] row : csv(e.folder().resolve("spawn.csv"))) {
                    md.append(String.format("| %s | %s | %s | %s | %s |%n", e.target(), row[0], row[1], row[2], row[3]));
                }
            }
            md.append('\n');
        }
    }

    private static void sweepTable(StringBuilder md, List<Experiment> experiments) throws IOException {
        List<Experiment> sweeps = of(experiments, "sweep");
        if (sweeps.isEmpty()) {
            return;
        }
        md.append("## Latency breakdown by image size (means, ms)\n\n")
                .append("| target | size | image KB | network | cpu | inference | server total | client latency |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Experiment e : sweeps) {
            for (String[] r : csv(e.folder().resolve("sweep.csv"))) {
                md.append(String.format(Locale.ROOT, "| %s | %s² | %.0f | %s | %s | %s | %s | %s |%n", e.target(), r[0],
                        Double.parseDouble(r[2]) / 1024, r[3], r[4], r[5], r[6], r[7]));
            }
        }
        md.append('\n');
    }

    private void costTable(StringBuilder md, List<Experiment> experiments, CostModel cost) throws IOException {
        md.append(String.format(Locale.ROOT, "## Cost per million requests (USD)%n%n"
                + "Azure Consumption: %.0f MB billed, $%.6f per GB-s, $%.2f per million executions, monthly grant of "
                + "%.0f GB-s and %.0f executions; duration = mean server `total` (at least 100 ms). faasd VM: $%.4f per "
                + "hour, $%.2f a month whether busy or not; a million requests cost the hours they keep it busy at "
                + "the measured rate.%n%n", cost.azureMemoryGb() * 1024, priceGbSecond,
                pricePerMillion, freeGbSeconds, freeExecutions, vmPricePerHour, cost.vmPerMonth()))
                .append("| target | scenario | mean server ms | RPS | Azure | Azure after free grant | faasd VM busy time |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Experiment e : of(experiments, "load")) {
            List<Sample> samples = readSamples(e.folder());
            for (JsonNode s : e.summary().path("summaries")) {
                String scenario = s.path("scenario").asText();
                double meanTotal = samples.stream().filter(x -> x.ok() && (scenario.equals("all") || x.scenario().equals(scenario)))
                        .mapToDouble(x -> Double.isNaN(x.totalMs()) ? x.latencyMs() : x.totalMs()).average().orElse(Double.NaN);
                double rps = s.path("rps").asDouble();
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.2f | %.2f | %.2f |%n", e.target(), scenario,
                        meanTotal, rps, cost.azurePerMillion(meanTotal / 1000), cost.azurePerMillionAfterGrant(meanTotal / 1000),
                        cost.vmPerMillion(rps)));
            }
        }
        md.append('\n');
    }

    private void plots(StringBuilder md, List<Experiment> experiments) throws IOException {
        md.append("## Plots\n\n");
        for (Experiment e : experiments) {
            List<Path> pngs;
            try (Stream<Path> files = Files.list(e.folder())) {
                pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            }
            for (Path png : pngs) {
                String copy = e.target() + "-" + e.folder().getFileName() + "-" + png.getFileName();
                Files.copy(png, out.resolve("img").resolve(copy), StandardCopyOption.REPLACE_EXISTING);
                md.append("### ").append(e.target()).append(": ").append(e.folder().getFileName()).append(" — ")
                        .append(png.getFileName()).append("\n\n![](img/").append(copy).append(")\n\n");
            }
        }
    }

    private static List<Experiment> of(List<Experiment> experiments, String kind) {
        return experiments.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    private static List<String[]> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    static List<Sample> readSamples(Path folder) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve("requests.csv"));
        return lines.subList(1, lines.size()).stream().map(Sample::parse).toList();
    }
}
