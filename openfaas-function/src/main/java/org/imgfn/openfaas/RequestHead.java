package org.imgfn.openfaas;

import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * The request line and headers of an HTTP/1.x request, read strictly (RFC 9112) under the
 * {@link HttpLimits}: an over-long request line is {@code URI_TOO_LONG}, too many or too large headers
 * {@code HEADERS_TOO_LARGE}, anything malformed or ambiguous {@code INVALID_REQUEST}. The body's
 * framing is settled here, once: a request whose length two parsers could read differently is refused,
 * never guessed at.
 *
 * @param http11        HTTP/1.1, or a later 1.x served as 1.1; false for HTTP/1.0
 * @param headers       by lower-case name; repeated fields joined with ", "
 * @param declaredLength the body's length; -1 when it is chunked
 */
record RequestHead(String method, String target, boolean http11, Map<String, String> headers, long declaredLength) {
    private static final Pattern REQUEST_LINE = Pattern.compile("(" + HeaderField.TOKEN.pattern()
            + ") ([!-~]+) HTTP/1\\.([0-9])");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    /** The head, or null when the connection ends before its first byte. */
    static RequestHead read(ConnectionInput in, HttpLimits limits) throws IOException {
        Supplier<ClassifyException> uriTooLong = () -> new ClassifyException(ErrorCode.URI_TOO_LONG,
                "the request line is longer than " + limits.maxRequestLine() + " bytes; send a shorter URL");
        String requestLine = in.readLine(limits.maxRequestLine(), uriTooLong);
        if (requestLine != null && requestLine.isEmpty()) {
            // RFC 9112 §2.2: one empty line before a request (a client's stray CRLF) is ignored
            requestLine = in.readLine(limits.maxRequestLine(), uriTooLong);
        }
        if (requestLine == null) {
            return null;
        }
        Matcher parts = REQUEST_LINE.matcher(requestLine);
        if (!parts.matches()) {
            throw invalid("the request line is not 'METHOD TARGET HTTP/1.1'");
        }
        boolean http11 = !parts.group(3).equals("0");
        Map<String, String> headers = new HashMap<>();
        int hosts = 0;
        int bytes = 0;
        Supplier<ClassifyException> tooLarge = () -> new ClassifyException(ErrorCode.HEADERS_TOO_LARGE, "the request"
                + " headers are larger than " + limits.maxHeaderBytes() + " bytes or more than " + limits.maxHeaders()
                + " fields");
        for (int count = 0; ; count++) {
            String line = in.readLine(limits.maxHeaderBytes() - bytes, tooLarge);
            if (line == null) {
                throw new EOFException("the connection ended within the request headers");
            }
            if (line.isEmpty()) {
                break;
            }
            bytes += line.length() + 2;
            if (count == limits.maxHeaders()) {
                throw tooLarge.get();
            }
            HeaderField field = HeaderField.parse(line);
            hosts += field.name().equals("host") ? 1 : 0;
            headers.merge(field.name(), field.value(), (earlier, value) -> earlier + ", " + value);
        }
        if (http11 ? hosts != 1 : hosts > 1) {
            throw invalid("an HTTP/1.1 request has exactly one Host header; this one has " + hosts);
        }
        return new RequestHead(parts.group(1), parts.group(2), http11, headers, contentLength(headers, http11));
    }

    /**
     * RFC 9112 §6: chunked when Transfer-Encoding says so (HTTP/1.1 only, and never beside a
     * Content-Length), else the Content-Length (digits only; a list only of equal values), else none.
     */
    private static long contentLength(Map<String, String> headers, boolean http11) {
        String encoding = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        if (encoding != null) {
            if (!http11) {
                throw invalid("Transfer-Encoding is not part of HTTP/1.0");
            }
            if (length != null) {
                throw invalid("the request has both Transfer-Encoding and Content-Length");
            }
            if (!encoding.equalsIgnoreCase("chunked")) {
                throw invalid("only the chunked Transfer-Encoding is supported, not " + encoding);
            }
            return -1;
        }
        if (length == null) {
            return 0;
        }
        String first = null;
        for (String element : length.split(",", -1)) {
            String value = HeaderField.withoutBlanks(element);
            if (!DIGITS.matcher(value).matches() || (first != null && !first.equals(value))) {
                throw invalid("Content-Length is not one decimal number: " + length);
            }
            first = value;
        }
        return Long.parseLong(first);
    }

    static ClassifyException invalid(String message) {
        return new ClassifyException(ErrorCode.INVALID_REQUEST, message);
    }

    String header(String name) {
        return headers.get(name);
    }

    /** Whether the connection stays open after the answer, as the client asked (HTTP/1.1: unless it said close). */
    boolean keepAlive() {
        String connection = header("connection");
        boolean close = false;
        boolean keepAlive = false;
        for (String token : connection == null ? new String[0] : connection.split(",")) {
            String option = HeaderField.withoutBlanks(token).toLowerCase(Locale.ROOT);
            close |= option.equals("close");
            keepAlive |= option.equals("keep-alive");
        }
        return http11 ? !close : keepAlive && !close;
    }

    /** Whether an HTTP/1.1 client waits for {@code 100 Continue} before it sends its body. */
    boolean expectsContinue() {
        String expect = header("expect");
        return http11 && expect != null && expect.equalsIgnoreCase("100-continue") && hasBody();
    }

    boolean hasBody() {
        return declaredLength != 0;
    }

    /** The body's bytes from {@code in}: chunked, of the declared length, or none. */
    BodyStream body(ConnectionInput in) {
        if (declaredLength < 0) {
            return new ChunkedBody(in);
        }
        return new FixedLengthBody(in, declaredLength);
    }
}
