package org.imgfn.openfaas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of a request whose client waits for {@code 100 Continue} before sending it: the interim
 * answer goes out at the first read, so only a request that was routed and passed the size cap is
 * asked for its body. One that is answered unread leaves the connection unusable (the client may
 * send the body anyway), so it is closed.
 */
final class ContinueBeforeBody extends InputStream {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final InputStream body;
    private final OutputStream out;
    private boolean asked;

    ContinueBeforeBody(InputStream body, OutputStream out) {
        this.body = body;
        this.out = out;
    }

    @Override
    public int read() throws IOException {
        ask();
        return body.read();
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        ask();
        return body.read(into, offset, length);
    }

    boolean asked() {
        return asked;
    }

    private void ask() throws IOException {
        if (!asked) {
            asked = true;
            out.write(CONTINUE);
            out.flush();
        }
    }
}
