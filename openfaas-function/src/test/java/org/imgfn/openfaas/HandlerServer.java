package org.imgfn.openfaas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A handler behind the real {@link Http1Server} on a loopback port, for tests that bring their own classifier. */
final class HandlerServer implements AutoCloseable {
    private final Http1Server server;
    private final ThreadPoolExecutor connections = new ThreadPoolExecutor(32, 32, 1, TimeUnit.SECONDS,
            new SynchronousQueue<>());

    HandlerServer(Http1Server.Handler handler, HttpLimits limits) {
        try {
            server = new Http1Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits, connections,
                    handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start();
    }

    HandlerServer(Http1Server.Handler handler) {
        this(handler, HttpLimits.of(ServerConfig.DEFAULT_HEADER_TIMEOUT, ServerConfig.DEFAULT_BODY_TIMEOUT));
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.stopAccepting();
        connections.shutdownNow();
    }
}
