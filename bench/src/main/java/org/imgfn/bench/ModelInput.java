package org.imgfn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.image.Crop;
import org.imgfn.core.image.ImageDecoder;
import org.imgfn.core.image.Preprocessor;
import picocli.CommandLine.Option;

/** The model an in-process command runs, with the {@code CLASSIFIER_*} settings, and the image it feeds it. */
final class ModelInput {
    @Option(names = "--model", defaultValue = "mobilenet_v2", description = "Model (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--image", defaultValue = "docs/examples/chelsea.png", description = "Image to feed (default: ${DEFAULT-VALUE})")
    Path image;

    /** The {@code CLASSIFIER_*} variables' settings, for {@link #model}. */
    ClassifierConfig config() {
        return ClassifierConfig.fromEnv(System.getenv()).withModel(model);
    }

    /** {@link #image} decoded and cropped as the server does it. */
    Crop crop(ClassifierConfig config) throws IOException {
        return Preprocessor.crop(new ImageDecoder(config.image().maxPixels()).decode(Files.readAllBytes(image)).rgb());
    }
}
