package org.imgfn.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    public int size() {
        return names.size();
    }
}
