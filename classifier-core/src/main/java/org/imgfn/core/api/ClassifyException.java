package org.imgfn.core.api;

/** A refusal with a stable {@link ErrorCode} and a message that tells the caller what to fix. */
public final class ClassifyException extends RuntimeException {
    private final ErrorCode code;

    public ClassifyException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ClassifyException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
