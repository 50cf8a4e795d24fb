package org.imgfn.openfaas;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A connection's input, buffered, with a deadline: no read blocks past it, and one that would fails
 * with {@link SocketTimeoutException}. A client sending one byte at a time gets no more time than one
 * sending all at once.
 */
final class ConnectionInput extends InputStream {
    /** How often a connection waiting for its next request checks whether the server is stopping. */
    private static final long POLL_MILLIS = 250;

    private final Socket socket;
    private final InputStream raw;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private long deadlineNanos;

    ConnectionInput(Socket socket) throws IOException {
        this.socket = socket;
        this.raw = socket.getInputStream();
    }

    /** Reads from now on must be done within {@code time}. */
    void deadline(Duration time) {
        deadlineNanos = System.nanoTime() + time.toNanos();
    }

    /**
     * Waits up to {@code idle} for the first byte of a request. False when the client closed the
     * connection, none came in time, or {@code stop} says so (checked every {@value #POLL_MILLIS} ms).
     */
    boolean awaitRequest(Duration idle, BooleanSupplier stop) throws IOException {
        long end = System.nanoTime() + idle.toNanos();
        while (position == limit) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0 || stop.getAsBoolean()) {
                return false;
            }
            socket.setSoTimeout((int) Math.min(left, POLL_MILLIS));
            try {
                if (!fillOnce()) {
                    return false;
                }
            } catch (SocketTimeoutException e) {
                // no byte yet: look at the clock and the server again
            }
        }
        return true;
    }

    /**
     * Whether the client has closed the connection (or reset it), found by a read that waits a millisecond;
     * bytes it did send (a next request) are kept for their reader. Between reads of this connection's
     * own thread only.
     */
    boolean clientLeft() {
        if (position < limit) {
            return false;
        }
        try {
            socket.setSoTimeout(1);
            return !fillOnce();
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    private boolean fill() throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("the deadline for this read has passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        return fillOnce();
    }

    private boolean fillOnce() throws IOException {
        int n = raw.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
