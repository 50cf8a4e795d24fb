package org.imgfn.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.imgfn.core.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the bytes of the configured model: a bundled one by name, a file path, or an http(s) URL that
 * is downloaded once into the cache directory. A given SHA-256 is checked in every case. The file's
 * extension chooses the engine ({@code .onnx} ONNX Runtime, {@code .pt} PyTorch); a bundled name comes
 * in the formats {@link #BUNDLED} lists, the first being its default.
 */
public final class ModelSource {
    /** A model shipped inside the jar: the engines it has a file for, the default first, and its largest batch. */
    record Bundled(List<InferenceEngine> engines, int maxBatch) {}

    static final Map<String, Bundled> BUNDLED = Map.of(
            "mobilenet_v2", new Bundled(List.of(InferenceEngine.ONNX_RUNTIME, InferenceEngine.PYTORCH), 64),
            // The traced int8 model takes one image per pass; it exists as TorchScript only.
            "mobilenet_v2_int8", new Bundled(List.of(InferenceEngine.PYTORCH), 1));

    private static final Logger LOG = LoggerFactory.getLogger(ModelSource.class);

    private ModelSource() {}

    /**
     * @param engine the engine asked for ({@code CLASSIFIER_ENGINE}), or null to go by the model: a bundled
     *               model's default format, a file's extension
     */
    public static ModelFile load(String spec, InferenceEngine engine, String expectedSha256, Path cacheDir) {
        ModelFile file;
        if (BUNDLED.containsKey(spec)) {
            file = bundled(spec, engine);
        } else if (spec.startsWith("https://") || spec.startsWith("http://")) {
            URI url = URI.create(spec);
            InferenceEngine chosen = engineOf(Path.of(url.getPath()), engine);
            file = fromPath(downloaded(url, expectedSha256, cacheDir), nameOf(Path.of(url.getPath())), chosen);
        } else {
            file = fromPath(Path.of(spec), nameOf(Path.of(spec)), engineOf(Path.of(spec), engine));
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(file.sha256())) {
            throw new IllegalStateException("model " + spec + " has SHA-256 " + file.sha256()
                    + " but CLASSIFIER_MODEL_SHA256 expects " + expectedSha256);
        }
        return file;
    }

    /** A bundled model, with its digest from the bundled SHA256SUMS (hashing 14 MB would slow every start). */
    private static ModelFile bundled(String name, InferenceEngine engine) {
        Bundled bundled = BUNDLED.get(name);
        InferenceEngine chosen = engine == null ? bundled.engines().get(0) : engine;
        if (!bundled.engines().contains(chosen)) {
            throw new IllegalStateException("the bundled model " + name + " has no " + chosen.extension()
                    + " file for CLASSIFIER_ENGINE=" + chosen.setting());
        }
        String fileName = name + chosen.extension();
        ByteBuffer bytes = resourceOutsideTheHeap("/models/" + fileName);
        String sums = new String(resource("/models/SHA256SUMS"), StandardCharsets.US_ASCII);
        String sha256 = sums.lines()
                .map(line -> line.split("\\s+"))
                .filter(fields -> fields.length == 2 && fields[1].equals(fileName))
                .map(fields -> fields[0])
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the bundled SHA256SUMS has no line for " + fileName));
        return new ModelFile(name, bytes, sha256, chosen, bundled.maxBatch());
    }

    /** The engine a model file needs, by its extension; one asked for must agree with it. */
    private static InferenceEngine engineOf(Path file, InferenceEngine asked) {
        String fileName = String.valueOf(file.getFileName());
        InferenceEngine byName = InferenceEngine.ofFileName(fileName).orElse(null);
        if (byName == null && asked == null) {
            throw new IllegalStateException("cannot tell which engine runs " + fileName + ": name a .onnx or .pt"
                    + " file, or set CLASSIFIER_ENGINE to onnxruntime or pytorch");
        }
        if (byName != null && asked != null && byName != asked) {
            throw new IllegalStateException(fileName + " is a " + byName.extension() + " model, which the "
                    + byName.djlName() + " engine runs, but CLASSIFIER_ENGINE is " + asked.setting());
        }
        return byName != null ? byName : asked;
    }

    private static URL bundledFile(String path) {
        URL url = ModelSource.class.getResource(path);
        if (url == null) {
            throw new IllegalStateException("the bundled file " + path + " is missing from the classpath");
        }
        return url;
    }

    private static byte[] resource(String path) {
        try (InputStream in = bundledFile(path).openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled file " + path, e);
        }
    }

    /**
     * A bundled file read into a direct buffer of its size: one copy, where reading it onto the heap
     * would make several (each fresh page of memory costs a start time).
     */
    private static ByteBuffer resourceOutsideTheHeap(String path) {
        try {
            URLConnection connection = bundledFile(path).openConnection();
            long size = connection.getContentLengthLong();
            if (size < 0) {
                throw new IllegalStateException("the classpath does not tell the size of the bundled file " + path);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size));
            try (ReadableByteChannel in = Channels.newChannel(connection.getInputStream())) {
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // fills the buffer
                }
            }
            if (buffer.hasRemaining()) {
                throw new IllegalStateException("the bundled file " + path + " ended before its " + size + " bytes");
            }
            return buffer.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled file " + path, e);
        }
    }

    private static String nameOf(Path file) {
        Path name = file.getFileName();
        return name == null ? "model" : name.toString().replaceFirst("\\.[^.]*$", "");
    }

    private static ModelFile fromPath(Path path, String name, InferenceEngine engine) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("model file not found: " + path.toAbsolutePath()
                    + " (CLASSIFIER_MODEL is mobilenet_v2, mobilenet_v2_int8, a .onnx or .pt file path or an http(s) URL)");
        }
        try {
            ByteBuffer bytes;
            try (FileChannel channel = FileChannel.open(path)) {
                bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            }
            return new ModelFile(name, bytes, Sha256.hex(bytes), engine, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model file " + path, e);
        }
    }

    private static Path downloaded(URI url, String expectedSha256, Path cacheDir) {
        String fileName = Path.of(url.getPath().isEmpty() ? "/model.pt" : url.getPath()).getFileName().toString();
        Path target = cacheDir.resolve(Sha256.hex(url.toString().getBytes()).substring(0, 16) + "-" + fileName);
        if (Files.isRegularFile(target) && (expectedSha256 == null || matches(target, expectedSha256))) {
            LOG.info("Using the cached model {} for {}", target, url);
            return target;
        }
        if (url.getScheme().toLowerCase(Locale.ROOT).equals("http") && expectedSha256 == null) {
            LOG.warn("Downloading the model over plain http without CLASSIFIER_MODEL_SHA256: nothing checks it");
        }
        try {
            Files.createDirectories(cacheDir);
            Path partial = Files.createTempFile(cacheDir, fileName, ".part");
            HttpClient client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<Path> response = client.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(partial);
                throw new IllegalStateException("downloading the model " + url + " answered HTTP " + response.statusCode());
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Downloaded the model {} to {}", url, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download the model " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading the model " + url, e);
        }
    }

    private static boolean matches(Path file, String expectedSha256) {
        try {
            return Sha256.hex(Files.readAllBytes(file)).equalsIgnoreCase(expectedSha256);
        } catch (IOException e) {
            return false;
        }
    }
}
