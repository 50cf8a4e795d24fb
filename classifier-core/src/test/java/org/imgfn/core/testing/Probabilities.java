package org.imgfn.core.testing;

/** Reading a model's probability vector in tests. */
public final class Probabilities {
    private Probabilities() {}

    /** The index of the largest probability. */
    public static int argmax(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }
}
