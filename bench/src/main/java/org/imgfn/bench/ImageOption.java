package org.imgfn.bench;

import picocli.CommandLine.Option;

/** The image every request of an experiment classifies. */
final class ImageOption {
    @Option(names = "--image-url", required = true, description = "The image the function downloads (or that is posted)")
    String url;
}
