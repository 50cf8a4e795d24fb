package org.imgfn.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A loopback image server for benchmarks: {@code /synthetic/SIZE.jpg} serves a {@link SyntheticImages}
 * JPEG of SIZE x SIZE, and {@code /files/NAME} a file from a folder, when one is given.
 */
final class ImageServer implements AutoCloseable {
    private final HttpServer server;

    ImageServer(Path files) {
        this(files, 0);
    }

    ImageServer(Path files, int port) {
        // Without it, JDK's HttpServer lets a small body wait for the client's delayed ACK (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "image-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/synthetic/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring("/synthetic/".length());
                int size = Integer.parseInt(name.replace(".jpg", ""));
                send(exchange, "image/jpeg", SyntheticImages.jpeg(size));
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
                    send(exchange, file.toString().endsWith(".png") ? "image/png" : "image/jpeg", Files.readAllBytes(file));
                }
            });
        }
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
