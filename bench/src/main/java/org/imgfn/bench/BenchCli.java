package org.imgfn.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar bench.jar <command>}: the experiments of the study and the papers it cites, against any endpoint. */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "bench 0.1.0",
        description = "Benchmarks serverless image classification endpoints; every command writes a results folder.",
        subcommands = {LoadCommand.class, RampCommand.class, ColdStartCommand.class, SweepCommand.class,
            ReportCommand.class, InProcessCommand.class, ImagesCommand.class, CeilingCommand.class,
            InferenceLatencyCommand.class})
public final class BenchCli {
    private BenchCli() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new BenchCli()).execute(args);
    }
}
