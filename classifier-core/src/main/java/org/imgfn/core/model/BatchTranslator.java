package org.imgfn.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.imgfn.core.image.Crop;

/**
 * Turns a batch of crops into one {@code [n,3,224,224]} tensor and the model's logits into one softmax
 * row per crop, computed in plain Java: NDArray operations on ONNX Runtime's arrays would need another
 * engine (DJL borrows PyTorch's, loading libtorch). The crops are normalised straight into a native buffer that is reused from batch to
 * batch (given a heap array, DJL would allocate a fresh native copy per batch, freed only when the
 * garbage collector gets to it), so a translator belongs to one predictor (one thread).
 */
final class BatchTranslator implements NoBatchifyTranslator<List<Crop>, float[][]> {
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

    @Override
    public NDList processInput(TranslatorContext ctx, List<Crop> crops) {
        int bytes = crops.size() * Crop.TENSOR_LENGTH * Float.BYTES;
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        FloatBuffer floats = buffer.asFloatBuffer();
        for (int i = 0; i < crops.size(); i++) {
            crops.get(i).normaliseInto(floats, i * Crop.TENSOR_LENGTH);
        }
        Shape shape = new Shape(crops.size(), 3, Crop.SIDE, Crop.SIDE);
        return new NDList(ctx.getNDManager().create(buffer.slice(0, bytes), shape, DataType.FLOAT32));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow();
        int rows = (int) logits.getShape().get(0);
        int classes = (int) logits.getShape().get(1);
        float[] flat = logits.toFloatArray();
        float[][] out = new float[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = softmax(flat, i * classes, classes);
        }
        return out;
    }

    /** {@code exp(x - max) / sum}, summed in double. */
    static float[] softmax(float[] logits, int from, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + length; i++) {
            max = Math.max(max, logits[i]);
        }
        double[] exp = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            exp[i] = Math.exp(logits[from + i] - max);
            sum += exp[i];
        }
        float[] probabilities = new float[length];
        for (int i = 0; i < length; i++) {
            probabilities[i] = (float) (exp[i] / sum);
        }
        return probabilities;
    }
}
