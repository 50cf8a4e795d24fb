package org.imgfn.openfaas;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read off the connection. A body whose framing failed (a malformed chunk, a deadline,
 * the connection's end) stays failed: every later read fails too, so nothing reads on from the
 * middle of a broken body as if it were the next request, and the connection is closed.
 */
abstract class BodyStream extends InputStream {
    private IOException failure;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] into, int offset, int length) throws IOException {
        if (failure != null) {
            throw new IOException("the request body failed earlier: " + failure.getMessage());
        }
        try {
            return readFramed(into, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Reads within the body's framing; a failure is the body's end as far as this connection goes. */
    protected abstract int readFramed(byte[] into, int offset, int length) throws IOException;
}
