package org.imgfn.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What was classified; {@code url} is absent when the image came as bytes. */
public record ImageInfo(
        @JsonInclude(JsonInclude.Include.NON_NULL) String url,
        long bytes,
        int width,
        int height,
        String format) {

    /** The same image, said to come from {@code url} (null: posted). */
    public ImageInfo withUrl(String url) {
        return new ImageInfo(url, bytes, width, height, format);
    }
}
