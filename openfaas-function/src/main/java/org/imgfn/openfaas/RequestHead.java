package org.imgfn.openfaas;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * The request line and headers of an HTTP/1.x request, read under the {@link HttpLimits}: an over-long
 * request line is {@code URI_TOO_LONG}, too many or too large headers {@code HEADERS_TOO_LARGE}, a
 * malformed head {@code INVALID_REQUEST}.
 */
record RequestHead(String method, String target, String version, Map<String, String> headers) {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** The head, or null when the connection ends before its first byte. */
    static RequestHead read(InputStream in, HttpLimits limits) throws IOException {
        String requestLine = line(in, limits.maxRequestLine(), () -> new ClassifyException(ErrorCode.URI_TOO_LONG,
                "the request line is longer than " + limits.maxRequestLine() + " bytes; send a shorter URL"));
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()
                || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))) {
            throw invalid("the request line is not 'METHOD TARGET HTTP/1.1'");
        }
        Map<String, String> headers = new HashMap<>();
        int bytes = 0;
        Supplier<ClassifyException> tooLarge = () -> new ClassifyException(ErrorCode.HEADERS_TOO_LARGE, "the request"
                + " headers are larger than " + limits.maxHeaderBytes() + " bytes or more than " + limits.maxHeaders()
                + " fields");
        for (int count = 0; ; count++) {
            String header = line(in, limits.maxHeaderBytes() - bytes, tooLarge);
            if (header == null) {
                throw new EOFException("the connection ended within the request headers");
            }
            if (header.isEmpty()) {
                return new RequestHead(parts[0], parts[1], parts[2], headers);
            }
            bytes += header.length() + 2;
            if (count == limits.maxHeaders()) {
                throw tooLarge.get();
            }
            add(headers, header);
        }
    }

    private static void add(Map<String, String> headers, String header) {
        int colon = header.indexOf(':');
        if (colon <= 0 || !TOKEN.matcher(header.substring(0, colon)).matches()) {
            throw invalid("a request header is malformed");
        }
        String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        String earlier = headers.get(name);
        if (earlier != null && name.equals("content-length") && !earlier.equals(value)) {
            throw invalid("the request has two different Content-Length headers");
        }
        headers.put(name, earlier == null || name.equals("content-length") ? value : earlier + ", " + value);
    }

    /**
     * One line without its CRLF (a bare LF ends one too), or null at the end of the stream before any
     * byte; past {@code max} bytes, {@code tooLong}.
     */
    static String line(InputStream in, int max, Supplier<ClassifyException> tooLong)
            throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection ended within a line");
            }
            if (line.size() >= max) {
                throw tooLong.get();
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
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
        String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !tokens.contains("close") : tokens.contains("keep-alive");
    }

    boolean expectsContinue() {
        String expect = header("expect");
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    /** The declared body length, or -1 when chunked or absent. */
    long declaredLength() {
        String length = header("content-length");
        if (length == null || header("transfer-encoding") != null) {
            return -1;
        }
        try {
            long value = Long.parseLong(length);
            if (value < 0) {
                throw invalid("Content-Length is negative: " + length);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid("Content-Length is not a number: " + length);
        }
    }

    boolean hasBody() {
        return header("transfer-encoding") != null || declaredLength() > 0;
    }

    /** The body's bytes from {@code in}: chunked, of the declared length, or none. */
    InputStream body(InputStream in) {
        String encoding = header("transfer-encoding");
        if (encoding != null) {
            if (header("content-length") != null) {
                throw invalid("the request has both Transfer-Encoding and Content-Length");
            }
            if (!encoding.equalsIgnoreCase("chunked")) {
                throw invalid("only the chunked Transfer-Encoding is supported, not " + encoding);
            }
            return new ChunkedBody(in);
        }
        long length = declaredLength();
        return length > 0 ? new FixedLengthBody(in, length) : InputStream.nullInputStream();
    }
}
