package org.imgfn.core.api;

/** The JSON error every entry point answers with: {@code {"error": {"code", "status", "message"}}}. */
public record ErrorBody(Detail error) {
    /** The inner object of an error answer. */
    public record Detail(String code, int status, String message) {}

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(new Detail(code.name(), code.status(), message));
    }
}
