package org.imgfn.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorBody;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Json;
import org.imgfn.core.http.BoundedBody;

/**
 * Command line: classifies an image URL or a local file and prints the same JSON the HTTP functions
 * answer. Exit status 0 on success, 1 when the image is refused, 2 on a usage error.
 */
public final class ClassifyCli {
    static final String USAGE = "usage: java -jar classifier-core-cli.jar <image-url-or-file> [--top N] [--model NAME|PATH|URL]";

    private ClassifyCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        Arguments parsed;
        ClassifierConfig config;
        try {
            parsed = Arguments.parse(args);
            config = ClassifierConfig.fromEnv(env);
        } catch (IllegalArgumentException | ClassifyException e) {
            out.println(Json.writeString(ErrorBody.of(ErrorCode.INVALID_REQUEST, e.getMessage())));
            System.err.println(USAGE);
            return 2;
        }
        if (parsed.model() != null) {
            config = config.withModel(parsed.model());
        }
        try (Classifier classifier = Classifier.open(config)) {
            out.println(Json.writeString(classifier.classify(request(parsed, config))));
            return 0;
        } catch (ClassifyException e) {
            out.println(Json.writeString(ErrorBody.of(e.code(), e.getMessage())));
            return 1;
        } catch (IllegalStateException modelNotLoaded) {
            out.println(Json.writeString(ErrorBody.of(ErrorCode.INTERNAL_ERROR, modelNotLoaded.getMessage())));
            return 1;
        }
    }

    private static ClassifyRequest request(Arguments args, ClassifierConfig config) {
        String image = args.image();
        if (image.startsWith("http://") || image.startsWith("https://")) {
            return new ClassifyRequest.FromUrl(ClassifyRequest.parseUrl(image), args.top());
        }
        Path file = Path.of(image);
        if (!Files.isRegularFile(file)) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "no such image file: " + file.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new ClassifyRequest.FromBytes(BoundedBody.read(in, config.image().maxImageBytes()), args.top());
        } catch (IOException e) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The parsed command line. */
    record Arguments(String image, int top, String model) {
        static Arguments parse(String[] args) {
            String image = null;
            int top = ClassifyRequest.DEFAULT_TOP;
            String model = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--top" -> top = ClassifyRequest.parseTop(value(args, ++i, "--top"));
                    case "--model" -> model = value(args, ++i, "--model");
                    default -> {
                        if (args[i].startsWith("--") || image != null) {
                            throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        }
                        image = args[i];
                    }
                }
            }
            if (image == null) {
                throw new IllegalArgumentException("name an image URL or file");
            }
            return new Arguments(image, top, model);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
