package org.imgfn.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * An image server on 127.0.0.1 for tests, in the style of MockWebServer: {@code /images/NAME} serves
 * the shared images, and tests add routes with adversarial behaviour (status codes, stalls,
 * redirects, oversized or chunked bodies, gzip).
 */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public LoopbackServer() {
        this(InetAddress.getLoopbackAddress());
    }

    public LoopbackServer(InetAddress address) {
        // Without it, JDK's HttpServer lets a small body wait for the client's delayed ACK (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        route("/images/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/images/".length());
            byte[] bytes = SharedFiles.imageBytes(name);
            send(exchange, 200, name.endsWith(".png") ? "image/png" : "image/jpeg", bytes);
        });
        server.start();
    }

    /** Serves {@code path} (and everything under it, if it ends with /) with {@code handler}. */
    public LoopbackServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            } catch (IOException ignored) {
                // the client went away, as timeout tests make it do
            }
        });
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + path;
    }

    /** How many requests reached the route registered as {@code path}. */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    public static HttpHandler status(int status) {
        return exchange -> send(exchange, status, "text/plain", ("status " + status).getBytes());
    }

    public static HttpHandler body(String contentType, byte[] body) {
        return exchange -> send(exchange, 200, contentType, body);
    }

    /** Sends {@code body} chunked, without Content-Length. */
    public static HttpHandler chunked(String contentType, byte[] body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < body.length; i += 8192) {
                    out.write(body, i, Math.min(8192, body.length - i));
                }
            }
        };
    }

    /** Declares {@code declared} bytes but sends nothing; a client must refuse before reading. */
    public static HttpHandler declaresLength(long declared) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, declared);
            sleep(Duration.ofSeconds(5));
        };
    }

    public static HttpHandler gzip(String contentType, byte[] body) {
        return exchange -> {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
                gz.write(body);
            }
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            send(exchange, 200, contentType, compressed.toByteArray());
        };
    }

    /** Answers with {@code handler} after waiting {@code delay}: a slow but good image server. */
    public static HttpHandler delayed(Duration delay, HttpHandler handler) {
        return exchange -> {
            sleep(delay);
            handler.handle(exchange);
        };
    }

    /** Waits {@code delay} before answering at all. */
    public static HttpHandler stallBeforeHeaders(Duration delay) {
        return exchange -> {
            sleep(delay);
            send(exchange, 200, "image/png", new byte[0]);
        };
    }

    /** Sends headers and part of the body, then stops sending for {@code delay}. */
    public static HttpHandler stallInBody(byte[] body, Duration delay) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            sleep(delay);
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.close();
        };
    }

    public static HttpHandler redirect(String location) {
        return exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
        };
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
