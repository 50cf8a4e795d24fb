package org.imgfn.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.imgfn.core.api.Prediction;

/** The class names of the model's outputs, one per line, in output order. */
public record Labels(List<String> names) {
    public Labels {
        names = List.copyOf(names);
    }

    /** The labels in {@code file}, or the bundled ImageNet synset when {@code file} is null. */
    public static Labels load(Path file) {
        try {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("synset file not found: " + file.toAbsolutePath() + " (CLASSIFIER_SYNSET)");
                }
                return new Labels(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
            try (InputStream in = Labels.class.getResourceAsStream("/models/synset.txt")) {
                if (in == null) {
                    throw new IllegalStateException("the bundled /models/synset.txt is missing from the classpath");
                }
                return new Labels(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the synset " + file, e);
        }
    }

    public String get(int index) {
        return names.get(index);
    }

    /** The {@code k} most probable classes, most probable first. */
    public List<Prediction> top(float[] probabilities, int k) {
        List<Prediction> top = new ArrayList<>(k);
        boolean[] taken = new boolean[probabilities.length];
        for (int rank = 0; rank < k && rank < probabilities.length; rank++) {
            int best = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (best < 0 || probabilities[i] > probabilities[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new Prediction(get(best), best, probabilities[best]));
        }
        return top;
    }

    public int size() {
        return names.size();
    }
}
