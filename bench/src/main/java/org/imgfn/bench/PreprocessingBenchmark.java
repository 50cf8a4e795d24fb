package org.imgfn.bench;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.imgfn.core.image.Crop;
import org.imgfn.core.image.ImageDecoder;
import org.imgfn.core.image.Preprocessor;
import org.imgfn.core.image.RgbImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU stage of a classification for square photo-like JPEGs: decoding, then resize + crop +
 * normalise, and both together. Run:
 * {@code java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main PreprocessingBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreprocessingBenchmark {
    @Param({"256", "1024", "3200"})
    public int size;

    private byte[] jpeg;
    private RgbImage decoded;
    private final ImageDecoder decoder = new ImageDecoder(40_000_000);
    private final FloatBuffer tensor = FloatBuffer.allocate(Crop.TENSOR_LENGTH);

    @Setup
    public void prepare() {
        jpeg = SyntheticImages.jpeg(size);
        decoded = decoder.decode(jpeg).rgb();
    }

    @Benchmark
    public RgbImage decode() {
        return decoder.decode(jpeg).rgb();
    }

    @Benchmark
    public FloatBuffer resizeCropNormalise() {
        Preprocessor.crop(decoded).normaliseInto(tensor, 0);
        return tensor;
    }

    @Benchmark
    public FloatBuffer decodeAndPreprocess() {
        Preprocessor.crop(decoder.decode(jpeg).rgb()).normaliseInto(tensor, 0);
        return tensor;
    }
}
