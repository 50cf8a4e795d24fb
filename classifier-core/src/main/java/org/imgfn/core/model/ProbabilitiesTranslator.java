package org.imgfn.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;
import org.imgfn.core.image.Preprocessor;

/** Feeds a preprocessed CHW tensor to the model and returns the softmax of its logits. */
final class ProbabilitiesTranslator implements Translator<float[], float[]> {
    private static final Shape INPUT = new Shape(3, Preprocessor.CROP, Preprocessor.CROP);

    @Override
    public NDList processInput(TranslatorContext ctx, float[] tensor) {
        return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), INPUT));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow();
        return logits.softmax(-1).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
