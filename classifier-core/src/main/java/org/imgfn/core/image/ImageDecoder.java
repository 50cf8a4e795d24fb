package org.imgfn.core.image;

import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.imgfn.core.DaemonThreads;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.memory.PixelMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes PNG, JPEG (grey, YCbCr, CMYK, progressive), GIF (first frame) and BMP into RGB as PIL does,
 * refusing non-images, images over the pixel limit (read from the header, before any pixel is
 * allocated) and broken files.
 *
 * <p>Every image is decoded at full size, pixel for pixel as PIL does: reading a large photo at reduced
 * size (ImageIO's source subsampling drops pixels) aliases, and changed the top-1 class of real photos.
 * The memory the pixels will take is estimated from the header and reserved from a {@link PixelMemory}
 * before decoding: an image that could never fit is refused as too large, one that does not fit now as
 * {@code OVERLOADED}.
 */
public final class ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);
    private static final String SUPPORTED = "PNG, JPEG, GIF or BMP";
    /** ImageIO also reads WBMP, whose lenient sniffing would take random bytes for an image. */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    /** Aborts decodings that run past their time limit. */
    private static final ScheduledExecutorService TIME_LIMITS = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("decode-time-limit"));

    private final long maxPixels;
    private final Duration timeLimit;

    /** A decoder without a time limit, for tools and tests that decode trusted images. */
    public ImageDecoder(long maxPixels) {
        this(maxPixels, null);
    }

    /** {@code timeLimit}: a decoding still running after it is aborted (a JPEG with thousands of scans, say). */
    public ImageDecoder(long maxPixels, Duration timeLimit) {
        this.maxPixels = maxPixels;
        this.timeLimit = timeLimit;
    }

    /**
     * Decodes two small bundled images, so that ImageIO's registry, the PNG and JPEG readers and their
     * native library load now (while a model loads, say), not on the first request.
     */
    public void loadCodecs() {
        for (String resource : List.of("/warmup/small.png", "/warmup/small.jpg")) {
            try (InputStream in = ImageDecoder.class.getResourceAsStream(resource)) {
                Preprocessor.crop(decode(in.readAllBytes()).rgb());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Loading the image codecs with {} failed; the first request will load them", resource, e);
            }
        }
    }

    /** Decodes one image with no memory budget: for tools and tests. */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, PixelMemory.UNLIMITED);
    }

    public DecodedImage decode(byte[] bytes, PixelMemory memory) {
        if (bytes.length == 0) {
            throw new ClassifyException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the image is empty (0 bytes)");
        }
        Optional<PngToRgb.Header> png = PngToRgb.header(bytes);
        if (png.isPresent()) {
            return decodePng(bytes, png.get(), memory);
        }
        // In memory: ImageIO.createImageInputStream would cache the stream in a temporary file.
        JpegHeader jpegHeader = JpegHeader.read(bytes);
        try (ImageInputStream in = new MemoryCacheImageInputStream(JpegIccProfiles.skipped(jpegHeader))) {
            ImageReader reader = readerFor(in).orElseThrow(() -> new ClassifyException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the data is not a " + SUPPORTED + " image" + sniffedKind(bytes)));
            try {
                boolean jpeg = reader.getFormatName().equalsIgnoreCase("jpeg");
                reader.setInput(in, true, !jpeg);
                return decode(reader, memory, bytes.length, jpegHeader);
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

    /**
     * The common PNG, decoded by {@link PngToRgb}: its pixels, its working rows and window, and the
     * resize's rows are all it holds.
     */
    private DecodedImage decodePng(byte[] bytes, PngToRgb.Header header, PixelMemory memory) {
        int width = header.width();
        int height = header.height();
        checkPixels(width, height);
        long pixels = (long) width * height;
        reserve(memory, pixels * 3 + PngToRgb.workingBytes(header) + (long) height * Crop.SIDE * 3, width, height);
        long deadline = timeLimit == null ? Long.MAX_VALUE : System.nanoTime() + timeLimit.toNanos();
        RgbImage rgb = PngToRgb.decode(bytes, header, () -> System.nanoTime() - deadline > 0);
        if (rgb == null) {
            throw timedOut();
        }
        return new DecodedImage(rgb, "png", width, height);
    }

    private void checkPixels(int width, int height) {
        if ((long) width * height > maxPixels) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image is " + width + "x" + height + " = "
                    + (long) width * height + " pixels, over the limit of " + maxPixels + " (CLASSIFIER_MAX_PIXELS)");
        }
    }

    private DecodedImage decode(ImageReader reader, PixelMemory memory, long encodedBytes, JpegHeader jpegHeader)
            throws IOException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkPixels(width, height);
        boolean jpeg = format.equals("jpeg");
        ImageTypeSpecifier type = jpeg ? reader.getRawImageType(0) : destinationType(reader);
        reserve(memory, decodingBytes(type, jpeg, width, height, encodedBytes), width, height);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        if (!jpeg && type != null) {
            param.setDestinationType(type);
        }
        RgbImage rgb = readWithinTimeLimit(reader, param, jpeg, jpegHeader);
        warnings.stream()
                .filter(w -> w.toLowerCase(Locale.ROOT).contains("premature end"))
                .findFirst()
                .ifPresent(w -> {
                    throw new ClassifyException(ErrorCode.CORRUPT_IMAGE, "the image is truncated: " + w);
                });
        return new DecodedImage(rgb, format, width, height);
    }

    private RgbImage readWithinTimeLimit(ImageReader reader, ImageReadParam param, boolean jpeg, JpegHeader jpegHeader)
            throws IOException {
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> abort = timeLimit == null ? null : TIME_LIMITS.schedule(() -> {
            aborted.set(true);
            reader.abort();
        }, timeLimit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            RgbImage rgb = jpeg ? JpegToRgb.read(reader, param, jpegHeader) : RasterToRgb.convert(reader.read(0, param));
            if (aborted.get()) {
                throw timedOut();
            }
            return rgb;
        } catch (IOException | RuntimeException e) {
            if (aborted.get() && !(e instanceof ClassifyException)) {
                throw timedOut();
            }
            throw e;
        } finally {
            if (abort != null) {
                abort.cancel(false);
            }
        }
    }

    private ClassifyException timedOut() {
        return new ClassifyException(ErrorCode.CORRUPT_IMAGE, "the image took longer than " + timeLimit.toMillis()
                + " ms to decode (CLASSIFIER_DECODE_TIMEOUT_MS); it was abandoned");
    }

    /**
     * The stored samples as they are (no conversion to a display type): for 8-bit RGB that is an
     * interleaved R, G, B raster, which becomes the RGB image without a copy.
     */
    private static ImageTypeSpecifier destinationType(ImageReader reader) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        return raw != null ? raw : reader.getImageTypes(0).next();
    }

    /**
     * What decoding holds at its peak: the encoded bytes again (the in-memory stream caches what it
     * reads), the decoder's raster (its bands and sample size), the RGB copy unless the raster is
     * interleaved 8-bit R, G, B (then it is adopted), and the resize's intermediate rows. An unknown
     * type is taken as four 8-bit bands and a copy.
     */
    private static long decodingBytes(ImageTypeSpecifier type, boolean jpeg, int width, int height, long encodedBytes) {
        long pixels = (long) width * height;
        int bands = type == null ? 4 : type.getNumBands();
        int sampleBytes = type == null ? 1 : Math.max(1, DataBuffer.getDataTypeSize(type.getSampleModel().getDataType()) / 8);
        boolean adopted = bands == 3 && sampleBytes == 1 && (jpeg || isInterleavedRgb(type.getSampleModel()));
        long raster = pixels * bands * sampleBytes;
        long rgbCopy = adopted ? 0 : pixels * 3;
        long resizeRows = (long) height * Crop.SIDE * 3;
        return encodedBytes + raster + rgbCopy + resizeRows;
    }

    private static boolean isInterleavedRgb(SampleModel model) {
        return model instanceof PixelInterleavedSampleModel interleaved && interleaved.getPixelStride() == 3
                && Arrays.equals(interleaved.getBandOffsets(), new int[] {0, 1, 2});
    }

    private static void reserve(PixelMemory memory, long bytes, int width, int height) {
        if (bytes > memory.capacity()) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image is " + width + "x" + height + " and needs "
                    + mebibytes(bytes) + " MiB to decode, more than the " + mebibytes(memory.capacity())
                    + " MiB set aside for images (CLASSIFIER_MAX_BUFFERED_BYTES, a share of the heap)");
        }
        if (!memory.reserve(bytes)) {
            throw new ClassifyException(ErrorCode.OVERLOADED, "the images being decoded fill the memory set aside"
                    + " for them (CLASSIFIER_MAX_BUFFERED_BYTES); retry shortly");
        }
    }

    private static long mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
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
