package org.imgfn.openfaas;

import java.io.IOException;
import java.io.InputStream;

/** A request body read off the connection: single bytes go through the bulk read. */
abstract class BodyStream extends InputStream {
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] into, int offset, int length) throws IOException;
}
