package org.imgfn.core.fetch;

/**
 * What an image server said identifies the version of a body it sent: its {@code ETag} and its
 * {@code Last-Modified} date, each null when absent. Sent back as {@code If-None-Match} and
 * {@code If-Modified-Since}, they let the server answer {@code 304 Not Modified} instead of the body.
 */
public record Validators(String etag, String lastModified) {
    public static final Validators NONE = new Validators(null, null);

    public boolean isEmpty() {
        return etag == null && lastModified == null;
    }
}
