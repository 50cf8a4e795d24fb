package org.imgfn.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.imgfn.core.api.Json;

/**
 * The tests' reference material. The small images and their torchvision answers live in the repository
 * ({@code classifier-core/src/test/resources/reference}), as do the models ({@code models/}); the big
 * photos of {@code large/} and the of-watchdog binary (the pom's {@code of-watchdog.binary}, passed as
 * {@code -Dof.watchdog}) come from {@code ../shared}, for the tests tagged
 * {@value #SHARED_TAG} that the {@code -Pshared} build runs. A missing file fails the test with a message
 * naming it; nothing is skipped.
 */
public final class SharedFiles {
    /** The JUnit tag of the tests that need {@code ../shared}; they run with {@code ./mvnw verify -Pshared}. */
    public static final String SHARED_TAG = "shared";
    /** The images {@code expected.json} has answers for. */
    public static final List<String> IMAGES = List.of("chelsea.png", "coffee.png", "rocket.jpg", "camera.png", "horse.png");
    /** Big real photos in {@code ../shared}, where resizing shortcuts show; their answers are in {@code large/expected.json}. */
    public static final List<String> LARGE_IMAGES = List.of("large/safelanding_5120x2880.jpg",
            "large/eveningglow_2560x1600.jpg", "large/storm.jpg", "large/milkyway_5120x2880.png");

    private SharedFiles() {}

    /** The repository's root: Maven passes it as {@code repo.root}; from a module folder it is {@code ..}. */
    public static Path repository() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    /** {@code ../shared}, or {@code -Dshared.dir}: only the tests tagged {@value #SHARED_TAG} need it. */
    public static Path dir() {
        String configured = System.getProperty("shared.dir");
        Path dir = configured != null ? Path.of(configured) : repository().resolve("../shared");
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("the shared test material is missing: no directory " + dir
                    + " (the -Pshared tests need ../shared beside the checkout; README says how to get it)");
        }
        return dir;
    }

    /** A reference image: a name of {@link #IMAGES}, {@code truncated.jpg}, or one of {@link #LARGE_IMAGES}. */
    public static Path image(String name) {
        Path file = name.startsWith("large/") ? dir().resolve("images").resolve(name) : reference().resolve(name);
        return existing(file, "reference image");
    }

    public static byte[] imageBytes(String name) {
        try {
            return Files.readAllBytes(image(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bundled model file from the repository's {@code models/}. */
    public static Path model(String file) {
        return existing(repository().resolve("models").resolve(file), "bundled model");
    }

    /** The of-watchdog binary of {@code -Dof.watchdog}, which the pom sets: the release the image uses. */
    public static Path ofWatchdog() {
        String configured = System.getProperty("of.watchdog");
        if (configured == null) {
            throw new AssertionError("no -Dof.watchdog: run the tests through Maven, whose pom names the of-watchdog binary");
        }
        Path watchdog = existing(Path.of(configured), "of-watchdog binary");
        if (!Files.isExecutable(watchdog)) {
            throw new AssertionError("the of-watchdog binary is not executable: " + watchdog);
        }
        return watchdog;
    }

    /**
     * The reference top-5 of {@code image} (a name of {@link #IMAGES} or {@link #LARGE_IMAGES}) for
     * {@code model} ("float" or "int8"), best first.
     */
    public static List<Expected> expected(String image, String model) {
        Path path = image(image);
        Path file = existing(path.resolveSibling("expected.json"), "reference answers");
        try {
            JsonNode answers = Json.read(Files.readAllBytes(file)).path(path.getFileName().toString()).path(model);
            if (!answers.isArray() || answers.isEmpty()) {
                throw new AssertionError(file + " has no answers for " + image + " / " + model);
            }
            List<Expected> expected = new ArrayList<>();
            answers.forEach(a -> expected.add(new Expected(a.get(0).asText(), a.get(1).asDouble())));
            return expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path reference() {
        return repository().resolve("classifier-core/src/test/resources/reference");
    }

    private static Path existing(Path path, String what) {
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("the " + what + " is missing: " + path);
        }
        return path;
    }

    /** One reference class and its probability. */
    public record Expected(String label, double probability) {}
}
