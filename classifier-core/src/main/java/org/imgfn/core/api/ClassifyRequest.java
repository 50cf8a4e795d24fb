package org.imgfn.core.api;

import java.net.URI;
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

    private static void checkTop(int top) {
        if (top < 1 || top > MAX_TOP) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "top must be between 1 and " + MAX_TOP + ", got " + top);
        }
    }
}
