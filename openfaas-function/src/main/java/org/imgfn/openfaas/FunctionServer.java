package org.imgfn.openfaas;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.imgfn.core.Classifier;
import org.imgfn.core.DaemonThreads;
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

    private final Http1Server server;
    private final ThreadPoolExecutor executor;
    private final Classifier classifier;
    private final ServerConfig config;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    private FunctionServer(ServerConfig config, ClassifierConfig classifierConfig) throws IOException {
        this.config = config;
        this.classifier = Classifier.open(classifierConfig);
        int threads = config.maxInflight() + SPARE_THREADS;
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                DaemonThreads.named("http-worker"));
        FunctionHandler handler = new FunctionHandler(classifier, classifierConfig.image().maxImageBytes(), config.maxInflight());
        this.server = new Http1Server(new InetSocketAddress(config.bindAddress(), config.port()),
                HttpLimits.of(config.headerTimeout(), config.bodyTimeout()), executor, handler);
    }

    /** Starts listening and loading the model; the returned server becomes healthy once loaded. */
    public static FunctionServer start(ServerConfig config, ClassifierConfig classifierConfig) throws IOException {
        FunctionServer functionServer = new FunctionServer(config, classifierConfig);
        functionServer.server.start();
        LOG.info("Listening on {}:{}", config.bindAddress(), functionServer.port());
        return functionServer;
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
        return server.port();
    }

    /**
     * Stops on a thread of its own that is not a daemon, as the signal's thread is: once the listener is
     * closed, it is what keeps the process alive until the requests in flight are answered.
     */
    private void shutDownAndExit() {
        if (!shuttingDown.compareAndSet(false, true)) {
            return; // on faasd the JVM gets SIGTERM twice: from faasd and from of-watchdog
        }
        Thread shutdown = new Thread(() -> {
            LOG.info("Shutting down: no new connections, waiting up to {} s for requests in flight",
                    config.shutdownGrace().toSeconds());
            close();
            LOG.info("Stopped");
            System.exit(0);
        }, "shutdown");
        shutdown.setDaemon(false);
        shutdown.start();
    }

    /**
     * Stops accepting, waits up to the grace period for the connections being served (every request in
     * flight runs on one) and those already accepted but still queued for a thread, then frees the model.
     */
    @Override
    public void close() {
        server.stopAccepting();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        try {
            while ((executor.getActiveCount() > 0 || !executor.getQueue().isEmpty())
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
