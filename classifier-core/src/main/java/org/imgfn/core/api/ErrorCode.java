package org.imgfn.core.api;

/** The stable error codes every entry point returns, each with its HTTP status. */
public enum ErrorCode {
    INVALID_REQUEST(400),
    ADDRESS_NOT_ALLOWED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    REQUEST_TIMEOUT(408),
    IMAGE_TOO_LARGE(413),
    REQUEST_TOO_LARGE(413),
    URI_TOO_LONG(414),
    UNSUPPORTED_MEDIA_TYPE(415),
    CORRUPT_IMAGE(422),
    HEADERS_TOO_LARGE(431),
    /** The client closed its connection before the answer: nginx's non-standard 499, for logs and metrics only. */
    CLIENT_GONE(499),
    INTERNAL_ERROR(500),
    UPSTREAM_ERROR(502),
    NOT_READY(503),
    OVERLOADED(503),
    UPSTREAM_TIMEOUT(504);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status that goes with this code. */
    public int status() {
        return status;
    }
}
