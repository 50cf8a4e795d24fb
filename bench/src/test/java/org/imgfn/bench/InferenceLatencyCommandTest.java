package org.imgfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bare pass and the queued one, on the real model; the figures themselves belong to benchmarks. */
class InferenceLatencyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new InferenceLatencyCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void timesTheBarePassAndTheQueuedOne() {
        int status = run("--passes", "5", "--warmup", "1",
                "--image", SharedFiles.image("horse.png").toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).matches("(?s)forward pass alone: median [0-9.]+ ms \\(p90 [0-9.]+\\); through the"
                + " inference queue: median [0-9.]+ ms \\(p90 [0-9.]+\\); added -?[0-9.]+ ms \\(model mobilenet_v2, .*");
    }

    @Test
    void refusesAModelThatDoesNotRunOnOnnxRuntime() {
        int status = run("--model", "mobilenet_v2_int8", "--passes", "1",
                "--image", SharedFiles.image("horse.png").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("times ONNX Runtime models", "PyTorch");
    }
}
