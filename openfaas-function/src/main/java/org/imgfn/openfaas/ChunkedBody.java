package org.imgfn.openfaas;

import java.io.EOFException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imgfn.core.api.ClassifyException;

/**
 * A chunked body (RFC 9112 §7.1), de-chunked and read strictly: a chunk size is hexadecimal digits
 * only (no sign, no prefix, at most 15 of them), optionally followed by extensions, which are
 * ignored; chunk data ends in exactly CRLF; trailer fields are parsed as fields and dropped. Anything
 * else fails the body, and with it the connection.
 */
final class ChunkedBody extends BodyStream {
    private static final int MAX_LINE = 1024;
    private static final int MAX_TRAILERS = 32;
    private static final Pattern CHUNK_SIZE = Pattern.compile("([0-9A-Fa-f]{1,15})(?:[ \t]*;[^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?");

    private final ConnectionInput in;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(ConnectionInput in) {
        this.in = in;
    }

    @Override
    protected int readFramed(byte[] into, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (chunkLeft == 0) {
            chunkLeft = nextChunkSize();
            if (chunkLeft == 0) {
                readTrailers();
                done = true;
                return -1;
            }
        }
        int n = in.read(into, offset, (int) Math.min(length, chunkLeft));
        if (n < 0) {
            throw new EOFException("the connection ended within a chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0 && !line().isEmpty()) {
            throw new IOException("a chunk is longer than its size says");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = line();
        Matcher size = CHUNK_SIZE.matcher(line);
        if (!size.matches()) {
            throw new IOException("a chunk size is not a hexadecimal number: " + line);
        }
        return Long.parseLong(size.group(1), 16);
    }

    private void readTrailers() throws IOException {
        for (int i = 0; ; i++) {
            String line = line();
            if (line.isEmpty()) {
                return;
            }
            if (i == MAX_TRAILERS) {
                throw new IOException("more than " + MAX_TRAILERS + " trailer fields");
            }
            try {
                HeaderField.parse(line);
            } catch (ClassifyException e) {
                throw new IOException("a trailer field is malformed: " + e.getMessage());
            }
        }
    }

    private String line() throws IOException {
        try {
            String line = in.readLine(MAX_LINE, () -> RequestHead.invalid("a chunk line is longer than " + MAX_LINE
                    + " bytes"));
            if (line == null) {
                throw new EOFException("the connection ended within the chunked body");
            }
            return line;
        } catch (ClassifyException e) {
            throw new IOException(e.getMessage());
        }
    }
}
