package org.imgfn.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.imgfn.core.DaemonThreads;
import org.imgfn.core.Sha256;

/**
 * An image server for benchmarks, on loopback unless told another address: {@code /synthetic/SIZE.jpg}
 * serves a {@link SyntheticImages} JPEG of SIZE x SIZE ({@code ?variant=K}: its K-th variant, with other
 * bytes), and {@code /files/NAME} a file from a folder, when one is given. Every image has an
 * {@code ETag} (a digest of its bytes) and a {@code Last-Modified} date, and a request naming the current
 * version with {@code If-None-Match} is answered {@code 304 Not Modified}, as a CDN does.
 */
final class ImageServer implements AutoCloseable {
    private static final String LAST_MODIFIED = DateTimeFormatter.RFC_1123_DATE_TIME
            .format(ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));

    private final HttpServer server;
    /** The synthetic images' ETags by size and variant, hashed once: a 3200² image is 2.6 MB. */
    private final Map<String, String> syntheticEtags = new ConcurrentHashMap<>();

    ImageServer(Path files) {
        this(files, 0);
    }

    ImageServer(Path files, int port) {
        this(files, port, InetAddress.getLoopbackAddress());
    }

    /** On {@code bind}: loopback for local runs; a bridge address (or 0.0.0.0) for functions in containers. */
    ImageServer(Path files, int port, InetAddress bind) {
        // Without it, JDK's HttpServer lets a small body wait for the client's delayed ACK (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16, DaemonThreads.named("image-server")));
        server.createContext("/synthetic/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring("/synthetic/".length());
                int size = Integer.parseInt(name.replace(".jpg", ""));
                int variant = variant(exchange.getRequestURI().getQuery());
                byte[] jpeg = SyntheticImages.jpeg(size, variant);
                String etag = syntheticEtags.computeIfAbsent(size + "/" + variant, key -> etag(jpeg));
                send(exchange, "image/jpeg", jpeg, etag);
            } catch (NumberFormatException e) {
                exchange.sendResponseHeaders(404, -1);
            }
        });
        if (files != null) {
            server.createContext("/files/", exchange -> {
                try (exchange) {
                    Path file = files.resolve(exchange.getRequestURI().getPath().substring("/files/".length())).normalize();
                    if (!file.startsWith(files) || !Files.isRegularFile(file)) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    send(exchange, file.toString().endsWith(".png") ? "image/png" : "image/jpeg", bytes, etag(bytes));
                }
            });
        }
        server.start();
    }

    /** {@code variant=K} in a query, else 0. */
    private static int variant(String query) {
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("variant=")) {
                    return Integer.parseInt(parameter.substring("variant=".length()));
                }
            }
        }
        return 0;
    }

    private static void send(HttpExchange exchange, String type, byte[] body, String etag) throws IOException {
        exchange.getResponseHeaders().set("ETag", etag);
        exchange.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The first 96 bits of the body's SHA-256, quoted. */
    private static String etag(byte[] body) {
        return "\"" + Sha256.hex(body).substring(0, 24) + "\"";
    }

    /** The URL of PATH on the bound address (on 127.0.0.1 when bound to every address). */
    String url(String path) {
        InetAddress address = server.getAddress().getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1"
                : address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
