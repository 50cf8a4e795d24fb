package org.imgfn.core.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * Decodes PNG, JPEG (grey, YCbCr, CMYK, progressive), GIF (first frame) and BMP into RGB as PIL does,
 * refusing non-images, images over the pixel limit (read from the header, before any pixel is
 * allocated) and broken files.
 *
 * <p>Every image is decoded at full size, pixel for pixel as PIL does: reading a large photo at reduced
 * size (ImageIO's source subsampling drops pixels) aliases, and changed the top-1 class of real photos.
 */
public final class ImageDecoder {
    private static final String SUPPORTED = "PNG, JPEG, GIF or BMP";
    /** ImageIO also reads WBMP, whose lenient sniffing would take random bytes for an image. */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ClassifyException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the image is empty (0 bytes)");
        }
        // In memory: ImageIO.createImageInputStream would cache the stream in a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in).orElseThrow(() -> new ClassifyException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the data is not a " + SUPPORTED + " image" + sniffedKind(bytes)));
            try {
                boolean jpeg = reader.getFormatName().equalsIgnoreCase("jpeg");
                reader.setInput(in, true, !jpeg);
                return decode(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ClassifyException ce) {
                throw ce;
            }
            throw new ClassifyException(ErrorCode.CORRUPT_IMAGE, "the image cannot be decoded: " + describe(e), e);
        }
    }

    private static Optional<ImageReader> readerFor(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                return Optional.of(reader);
            }
        }
        return Optional.empty();
    }

    private DecodedImage decode(ImageReader reader) throws IOException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > maxPixels) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image is " + width + "x" + height + " = "
                    + (long) width * height + " pixels, over the limit of " + maxPixels + " (CLASSIFIER_MAX_PIXELS)");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        RgbImage rgb = format.equals("jpeg") ? JpegToRgb.read(reader, param) : RasterToRgb.convert(reader.read(0, param));
        warnings.stream()
                .filter(w -> w.toLowerCase(Locale.ROOT).contains("premature end"))
                .findFirst()
                .ifPresent(w -> {
                    throw new ClassifyException(ErrorCode.CORRUPT_IMAGE, "the image is truncated: " + w);
                });
        return new DecodedImage(rgb, format, width, height);
    }

    private static String sniffedKind(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.ISO_8859_1)
                .trim().toLowerCase(Locale.ROOT);
        if (head.startsWith("<!doctype html") || head.startsWith("<html")) {
            return " (it looks like an HTML page)";
        }
        if (head.contains("<svg")) {
            return " (SVG is not supported)";
        }
        if (head.startsWith("riff") && head.length() >= 12 && head.startsWith("webp", 8)) {
            return " (WebP is not supported)";
        }
        return "";
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
