package org.imgfn.core.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/** What to classify: an image URL to download, or image bytes already in hand, and how many classes to return. */
public sealed interface ClassifyRequest {
    int DEFAULT_TOP = 3;
    int MAX_TOP = 10;

    int top();

    /** Classify the image at {@code url}. */
    record FromUrl(URI url, int top) implements ClassifyRequest {
        public FromUrl {
            Objects.requireNonNull(url, "url");
            checkTop(top);
        }
    }

    /** Classify {@code bytes}, which hold an encoded image. */
    record FromBytes(byte[] bytes, int top) implements ClassifyRequest {
        public FromBytes {
            Objects.requireNonNull(bytes, "bytes");
            checkTop(top);
        }
    }

    /** Parses and checks a user-given image URL: absolute, http or https, with a host. */
    static URI parseUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "missing url: pass the image address as ?url=... or as {\"url\": \"...\"}");
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "only http and https image URLs are fetched, not '" + raw + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "url has no host: " + raw);
        }
        return uri;
    }

    /**
     * The number of classes asked for as text (a query parameter, a JSON number, a command-line value);
     * null or blank means {@value #DEFAULT_TOP}. The one place {@code top} is parsed and checked.
     */
    static int parseTop(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_TOP;
        }
        try {
            return checkTop(Integer.parseInt(raw.trim()), raw);
        } catch (NumberFormatException e) {
            throw badTop(raw);
        }
    }

    private static int checkTop(int top) {
        return checkTop(top, Integer.toString(top));
    }

    private static int checkTop(int top, String raw) {
        if (top < 1 || top > MAX_TOP) {
            throw badTop(raw);
        }
        return top;
    }

    private static ClassifyException badTop(String raw) {
        return new ClassifyException(ErrorCode.INVALID_REQUEST,
                "top must be a whole number between 1 and " + MAX_TOP + ", got " + raw);
    }
}
