package org.imgfn.openfaas;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.http.ErrorReplies;
import org.imgfn.core.http.HttpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small blocking HTTP/1.1 server, one pooled thread per connection, that holds every connection to
 * the {@link HttpLimits}: over-long request lines and headers are answered {@code 414} and {@code 431},
 * headers and bodies that arrive too slowly {@code 408}, all as JSON errors, and the connection is then
 * closed. Requests are read strictly ({@link RequestHead}, {@link ChunkedBody}): a malformed or ambiguous
 * one is answered 400 and its connection closed, so no two parsers can split a connection's bytes into
 * different requests. Bodies come with a length or chunked; {@code Expect: 100-continue} is honoured
 * once the handler reads the body; connections are kept alive between requests. JDK's {@code com.sun.net.httpserver} has no hook for any of these
 * limits: it resets such connections without an answer, or waits on them forever.
 */
final class Http1Server {
    private static final Logger LOG = LoggerFactory.getLogger(Http1Server.class);
    /** Bytes of a body the handler left unread that are skipped to keep the connection; past them it closes. */
    private static final int LEFTOVER_LIMIT = 64 * 1024;
    /**
     * What is read and dropped of a refused request after its answer, and for how long, before the
     * connection closes: closing with unread bytes would reset it, and the client could lose the answer.
     */
    private static final long LINGER_BYTES = 32L * 1024 * 1024;
    private static final Duration LINGER_TIME = Duration.ofSeconds(2);
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(400, "Bad Request"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(413, "Content Too Large"), Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Content"),
            Map.entry(431, "Request Header Fields Too Large"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    /** Answers one request; its body must be read from the request's stream, under the body deadline. */
    interface Handler {
        HttpReply handle(HttpRequest request);
    }

    private final ServerSocket listener;
    private final ThreadPoolExecutor connections;
    private final HttpLimits limits;
    private final Handler handler;
    private final Thread acceptor;
    private volatile boolean stopping;

    Http1Server(InetSocketAddress address, HttpLimits limits, ThreadPoolExecutor connections, Handler handler)
            throws IOException {
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address, 256);
        this.connections = connections;
        this.limits = limits;
        this.handler = handler;
        // Not a daemon: it keeps the process alive until the server stops.
        this.acceptor = new Thread(this::acceptConnections, "http-accept");
    }

    void start() {
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * Closes the listener; connections already accepted get their next request answered, then close
     * instead of waiting for another.
     */
    void stopAccepting() {
        stopping = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.warn("Closing the listener failed", e);
        }
    }

    private void acceptConnections() {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!stopping) {
                    // out of file descriptors, say: pause rather than spin on the failing accept
                    LOG.warn("Accepting a connection failed", e);
                    pause();
                }
                continue;
            }
            try {
                connections.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                refuse(socket);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every thread busy and the queue full: the client hears so, rather than waiting in the backlog. */
    private static void refuse(Socket socket) {
        try (socket) {
            socket.setSoTimeout(1000);
            write(socket.getOutputStream(), ErrorReplies.of(ErrorCode.OVERLOADED,
                    "the function has as many connections as it takes; retry shortly"), false, false);
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            ConnectionInput in = new ConnectionInput(socket);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            boolean first = true;
            while (in.awaitRequest(limits.idleTimeout(), first ? () -> false : () -> stopping)) {
                first = false;
                if (!exchange(in, out)) {
                    linger(socket, in);
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("Connection ended: {}", e.toString());
        }
    }

    /** Sends the end of the answer, then reads what the client still sends, for a while, before the close. */
    private static void linger(Socket socket, ConnectionInput in) throws IOException {
        socket.shutdownOutput();
        in.deadline(LINGER_TIME);
        byte[] sink = new byte[16 * 1024];
        try {
            for (long read = 0; read < LINGER_BYTES; ) {
                int n = in.read(sink);
                if (n < 0) {
                    return;
                }
                read += n;
            }
        } catch (SocketTimeoutException e) {
            // the client neither finished nor closed: the connection closes now
        }
    }

    /** Reads one request, answers it, and says whether the connection may carry another. */
    private boolean exchange(ConnectionInput in, OutputStream out) throws IOException {
        in.deadline(limits.headerTimeout());
        RequestHead head;
        HttpRequest request;
        BodyStream body;
        try {
            head = RequestHead.read(in, limits);
            if (head == null) {
                return false;
            }
            body = head.body(in);
            request = request(head, head.expectsContinue() ? new ContinueBeforeBody(body, out) : body, in);
        } catch (ClassifyException refused) {
            write(out, ErrorReplies.from(refused), false, false);
            return false;
        } catch (SocketTimeoutException slow) {
            write(out, ErrorReplies.of(ErrorCode.REQUEST_TIMEOUT, "the request headers did not arrive within "
                    + limits.headerTimeout().toSeconds() + " s (SERVER_HEADER_TIMEOUT_SECONDS)"), false, false);
            return false;
        }
        in.deadline(limits.bodyTimeout());
        HttpReply reply;
        try {
            reply = handler.handle(request);
        } catch (RuntimeException e) {
            reply = ErrorReplies.from(e);
        }
        boolean bodyUnasked = request.body() instanceof ContinueBeforeBody waiting && !waiting.asked();
        boolean keepAlive = head.keepAlive() && !stopping && !bodyUnasked && readToEnd(body);
        write(out, reply, head.method().equals("HEAD"), keepAlive);
        return keepAlive;
    }

    private static HttpRequest request(RequestHead head, InputStream body, ConnectionInput in) {
        URI target;
        try {
            target = new URI(head.target());
        } catch (URISyntaxException e) {
            throw RequestHead.invalid("the request target is not a valid URI: " + e.getMessage());
        }
        String path = target.getPath() == null || target.getPath().isEmpty() ? "/" : target.getPath();
        return new HttpRequest(head.method(), path, target.getRawQuery(), head.headers(), body,
                head.declaredLength(), in::clientLeft);
    }

    /**
     * Whether what the handler left of the body was read to its end, within the limit and the deadline;
     * a body whose framing failed never is.
     */
    private static boolean readToEnd(BodyStream body) {
        try {
            byte[] sink = new byte[8192];
            long skipped = 0;
            for (int n; (n = body.read(sink)) >= 0; ) {
                skipped += n;
                if (skipped > LEFTOVER_LIMIT) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void write(OutputStream out, HttpReply reply, boolean head, boolean keepAlive) throws IOException {
        StringBuilder header = new StringBuilder(256).append("HTTP/1.1 ").append(reply.status()).append(' ')
                .append(REASONS.getOrDefault(reply.status(), "")).append("\r\n");
        if (!reply.headers().containsKey("Content-Type")) {
            header.append("Content-Type: ").append(HttpReply.CONTENT_TYPE).append("\r\n");
        }
        reply.headers().forEach((name, value) -> header.append(name).append(": ").append(value).append("\r\n"));
        header.append("Content-Length: ").append(reply.body().length).append("\r\n");
        if (!keepAlive) {
            header.append("Connection: close\r\n");
        }
        out.write(header.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(reply.body());
        }
        out.flush();
    }
}
