package org.imgfn.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every HTTP experiment shares: where to send, how, and where the results go. */
final class TargetOptions {
    @Option(names = "--target", required = true, split = ",",
            description = "Function URL(s); several are used round-robin. E.g. http://127.0.0.1:8082/, "
                    + "http://GATEWAY:8080/function/image-classifier, https://APP.azurewebsites.net/api/classify?code=KEY")
    List<URI> targets;

    @Option(names = "--method", defaultValue = "get", converter = MethodConverter.class,
            description = "get | post-json | post-bytes (default: ${DEFAULT-VALUE})")
    Requester.Method method;

    @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Per-request timeout (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--out", description = "Results folder (default: results/<command>-<time>)")
    Path out;

    Requester requester() {
        return new Requester(targets, method, timeout);
    }

    Path outFolder(String command) {
        return out != null ? out : Path.of("results", command + "-" + System.currentTimeMillis());
    }

    /** The bytes for {@code post-bytes}: downloaded once from the image URL by the benchmark itself. */
    byte[] imageBytes(String imageUrl) {
        return method == Requester.Method.POST_BYTES ? ImageSet.download(imageUrl) : new byte[0];
    }

    static final class MethodConverter implements picocli.CommandLine.ITypeConverter<Requester.Method> {
        @Override
        public Requester.Method convert(String value) {
            return Requester.Method.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a number of seconds. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        static Duration parse(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            double amount = Double.parseDouble(v.replaceAll("[smh]$", ""));
            double seconds = v.endsWith("h") ? amount * 3600 : v.endsWith("m") ? amount * 60 : amount;
            return Duration.ofMillis(Math.round(seconds * 1000));
        }
    }
}
