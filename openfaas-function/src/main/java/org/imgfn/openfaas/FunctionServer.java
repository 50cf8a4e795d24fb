package org.imgfn.openfaas;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.model.ModelRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The function's HTTP server for of-watchdog in {@code mode=http}: listens at once, loads the model in
 * the background (retrying a failed load), reports healthy after a warm-up inference, and on SIGTERM stops accepting, lets
 * in-flight requests finish within the grace period and exits 0.
 */
public final class FunctionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionServer.class);
    /** Threads beyond the in-flight limit, so that requests over it are refused at once, not queued. */
    private static final int SPARE_THREADS = 16;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Classifier classifier;
    private final FunctionHandler handler;
    private final ServerConfig config;

    private FunctionServer(ServerConfig config, ClassifierConfig classifierConfig) throws IOException {
        this.config = config;
        this.classifier = Classifier.open(classifierConfig);
        int threads = config.maxInflight() + SPARE_THREADS;
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                runnable -> {
                    Thread thread = new Thread(runnable, "http-worker");
                    thread.setDaemon(true);
                    return thread;
                });
        this.server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 256);
        server.setExecutor(executor);
        this.handler = new FunctionHandler(classifier, classifierConfig.maxImageBytes(), config.maxInflight());
        server.createContext("/", handler);
    }

    /** Starts listening and loading the model; the returned server becomes healthy once loaded. */
    public static FunctionServer start(ServerConfig config, ClassifierConfig classifierConfig) throws IOException {
        noDelay();
        FunctionServer functionServer = new FunctionServer(config, classifierConfig);
        functionServer.server.start();
        LOG.info("Listening on {}:{}", config.bindAddress(), functionServer.port());
        return functionServer;
    }

    /**
     * JDK's HttpServer writes headers and body separately and leaves Nagle's algorithm on unless told
     * otherwise, so a small answer can wait ~40 ms for the client's delayed ACK. Read once, at first use.
     */
    static void noDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        FunctionServer server;
        try {
            server = start(ServerConfig.fromEnv(env), ClassifierConfig.fromEnv(env));
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        server.whenReady().thenAccept(model -> {
            long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.info("Ready in {} ms from process start (model {} on {}, warm-up done)", sinceStart,
                    model.loaded().info().name(), model.loaded().info().engine());
        });
        Signal.handle(new Signal("TERM"), signal -> server.shutDownAndExit());
        Signal.handle(new Signal("INT"), signal -> server.shutDownAndExit());
    }

    /** Completes once the model is loaded and warmed up. */
    public CompletableFuture<ModelRuntime.ServingModel> whenReady() {
        return classifier.runtime().whenReady();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void shutDownAndExit() {
        LOG.info("Shutting down: no new connections, waiting up to {} s for requests in flight", config.shutdownGrace()
                .toSeconds());
        close();
        LOG.info("Stopped");
        System.exit(0);
    }

    /**
     * Stops accepting, waits up to the grace period for the exchanges in flight and those already
     * accepted but still queued for a thread, then frees the model.
     */
    @Override
    public void close() {
        // HttpServer.stop closes the listener at once, but on Java 17 then waits out its whole delay even
        // when idle; so it runs aside while we wait for our own count of exchanges to reach zero.
        Thread stopper = new Thread(() -> server.stop((int) config.shutdownGrace().toSeconds()), "http-stop");
        stopper.setDaemon(true);
        stopper.start();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        try {
            while ((handler.activeExchanges() > 0 || executor.getActiveCount() > 0 || !executor.getQueue().isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        classifier.close();
    }
}
