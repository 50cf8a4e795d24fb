package org.imgfn.openfaas;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** The {@code Content-Length} bytes of a body, and not one more of the connection. */
final class FixedLengthBody extends BodyStream {
    private final InputStream in;
    private long left;

    FixedLengthBody(InputStream in, long length) {
        this.in = in;
        this.left = length;
    }

    @Override
    protected int readFramed(byte[] into, int offset, int length) throws IOException {
        if (left == 0) {
            return -1;
        }
        int n = in.read(into, offset, (int) Math.min(length, left));
        if (n < 0) {
            throw new EOFException("the connection ended " + left + " bytes before the declared end of the body");
        }
        left -= n;
        return n;
    }
}
