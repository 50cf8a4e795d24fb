package org.imgfn.openfaas;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.imgfn.core.api.ClassifyException;

/**
 * A connection's input, buffered, with a deadline: no read blocks past it, and one that would fails
 * with {@link SocketTimeoutException}. A client sending one byte at a time gets no more time than one
 * sending all at once. Its lines (request line, fields, chunk lines) end with CRLF and nothing else.
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
    private boolean inputEnded;

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
     * Whether the client has gone, found by a read that waits a millisecond; bytes it did send (a next
     * request) are kept for their reader. The end of its input alone does not say so: a client may shut
     * down only its sending side and wait for the answer. Once the input has ended, each check sends one
     * byte of TCP urgent data, which a client's reads skip and a closed socket answers with a reset, so
     * the next send fails (the first check sends twice, a millisecond apart). Between reads of this
     * connection's own thread only.
     */
    boolean clientLeft() {
        if (position < limit) {
            return false;
        }
        try {
            if (!inputEnded) {
                socket.setSoTimeout(1);
                if (fillOnce()) {
                    return false;
                }
                inputEnded = true;
                socket.sendUrgentData(0);
                Thread.sleep(1);
            }
            socket.sendUrgentData(0);
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One line without its CRLF, or null when the connection ends before its first byte. A line that
     * ends in a bare LF, or holds a CR not followed by LF, is {@code INVALID_REQUEST}; past {@code max}
     * bytes, {@code tooLong}.
     */
    String readLine(int max, Supplier<ClassifyException> tooLong) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = read()) != '\r'; ) {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection ended within a line");
            }
            if (b == '\n') {
                throw RequestHead.invalid("a line ends in a bare LF; HTTP/1.1 lines end in CRLF");
            }
            if (line.size() >= max) {
                throw tooLong.get();
            }
            line.write(b);
        }
        int b = read();
        if (b < 0) {
            throw new EOFException("the connection ended within a line");
        }
        if (b != '\n') {
            throw RequestHead.invalid("a CR without its LF");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
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
