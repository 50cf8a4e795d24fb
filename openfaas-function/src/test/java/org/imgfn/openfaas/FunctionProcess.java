package org.imgfn.openfaas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imgfn.core.testing.SharedFiles;

/**
 * The packaged function jar as a real process, alone or forked by the real of-watchdog in
 * {@code mode=http}; it waits until the function reports ready. of-watchdog's metrics port is fixed
 * at 8081, so only one watchdog may run at a time.
 */
final class FunctionProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final String base;
    private final Path log;

    private FunctionProcess(Process process, String base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("function.jar", "target/openfaas-function.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the packaged function jar is missing: " + jar + " (run mvn package first)");
        }
        return jar;
    }

    /** The jar behind of-watchdog; requests go to the watchdog's port. */
    static FunctionProcess behindWatchdog(String name, Map<String, String> env) {
        int upstreamPort = Http.freePort();
        int watchdogPort = Http.freePort();
        Map<String, String> all = new HashMap<>(functionEnv(upstreamPort, env));
        all.put("mode", "http");
        all.put("fprocess", "java -jar " + jar().toAbsolutePath());
        all.put("upstream_url", "http://127.0.0.1:" + upstreamPort);
        all.put("port", Integer.toString(watchdogPort));
        all.put("ready_path", "/_/health");
        // The watchdog reports ready only while its lock file exists; each gets its own temp dir for it.
        all.put("TMPDIR", tempDir(name).toString());
        all.put("exec_timeout", "60s");
        all.put("read_timeout", "60s");
        all.put("write_timeout", "65s");
        all.put("healthcheck_interval", "1s");
        all.putAll(env);
        FunctionProcess started = start(name, List.of(SharedFiles.ofWatchdog().toString()), all,
                "http://127.0.0.1:" + watchdogPort);
        started.awaitReady("/_/ready");
        return started;
    }

    /** The jar alone; requests go straight to it. */
    static FunctionProcess alone(String name, Map<String, String> env) {
        int port = Http.freePort();
        FunctionProcess started = start(name, List.of(javaBinary(), "-jar", jar().toAbsolutePath().toString()),
                functionEnv(port, env), "http://127.0.0.1:" + port);
        started.awaitReady("/_/health");
        return started;
    }

    /** The JVM flags of the container image (openfaas-function/Dockerfile) with its 1024Mi limit's heap. */
    static final List<String> SHIPPED_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError");

    /** The jar alone, run as the container runs it: 128 MB heap, serial collector, exit on OutOfMemoryError. */
    static FunctionProcess asShipped(String name, Map<String, String> env) {
        int port = Http.freePort();
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(SHIPPED_JVM_FLAGS);
        command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
        Map<String, String> all = new HashMap<>(functionEnv(port, env));
        all.put("MALLOC_ARENA_MAX", "2");
        FunctionProcess started = start(name, command, all, "http://127.0.0.1:" + port);
        started.awaitReady("/_/health");
        return started;
    }

    private static Path tempDir(String name) {
        try {
            return Files.createDirectories(Path.of("target", "it-tmp", name).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> functionEnv(int port, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("SERVER_PORT", Integer.toString(port));
        all.put("DJL_OFFLINE", "true");
        all.put("OPT_OUT_TRACKING", "true");
        all.put("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true");
        all.putAll(env);
        return all;
    }

    private static FunctionProcess start(String name, List<String> command, Map<String, String> env, String base) {
        try {
            Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new FunctionProcess(builder.start(), base, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady(String path) {
        try {
            pollReady(path);
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    private void pollReady(String path) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the function process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (Http.get(base + path).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // poll again
            }
            sleep(200);
        }
        throw new AssertionError("the function was not ready within " + READY_TIMEOUT + "; see " + log);
    }

    String url(String pathAndQuery) {
        return base + pathAndQuery;
    }

    Process process() {
        return process;
    }

    /** The Java function process: this one when alone, the watchdog's child behind a watchdog. */
    ProcessHandle functionProcess() {
        return process.toHandle().children().findFirst().orElse(process.toHandle());
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(p -> p.onExit().join());
    }
}
