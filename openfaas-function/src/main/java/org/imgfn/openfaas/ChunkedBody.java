package org.imgfn.openfaas;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.imgfn.core.api.ClassifyException;

/** A chunked body, de-chunked; chunk-size lines and trailers are held to small sizes. */
final class ChunkedBody extends BodyStream {
    private static final int MAX_LINE = 1024;
    private static final int MAX_TRAILERS = 32;

    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (chunkLeft == 0) {
            chunkLeft = nextChunkSize();
            if (chunkLeft == 0) {
                skipTrailers();
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
        int extension = line.indexOf(';');
        String size = (extension < 0 ? line : line.substring(0, extension)).trim();
        try {
            long value = Long.parseLong(size, 16);
            if (value < 0 || size.length() > 15) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IOException("a chunk size is not a hexadecimal number: " + size);
        }
    }

    private void skipTrailers() throws IOException {
        for (int i = 0; !line().isEmpty(); i++) {
            if (i == MAX_TRAILERS) {
                throw new IOException("more than " + MAX_TRAILERS + " trailer fields");
            }
        }
    }

    private String line() throws IOException {
        try {
            String line = RequestHead.line(in, MAX_LINE, () -> RequestHead.invalid("a chunk line is too long"));
            if (line == null) {
                throw new EOFException("the connection ended within the chunked body");
            }
            return line;
        } catch (ClassifyException e) {
            throw new IOException(e.getMessage());
        }
    }
}
