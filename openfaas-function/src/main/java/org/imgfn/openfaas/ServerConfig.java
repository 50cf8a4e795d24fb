package org.imgfn.openfaas;

import java.time.Duration;
import java.util.Map;
import org.imgfn.core.Environment;

/**
 * The HTTP server's own settings, from environment variables.
 *
 * @param port          {@code SERVER_PORT}, default 8082 (of-watchdog's {@code upstream_url})
 * @param bindAddress   {@code SERVER_BIND}, default 127.0.0.1: only the watchdog beside it needs to reach it
 * @param maxInflight   {@code SERVER_MAX_INFLIGHT}, default 64 per processor: classifications at once; more get
 *                      503 at once (most of them wait for a download or the model, not for a core)
 * @param shutdownGrace {@code SERVER_SHUTDOWN_GRACE_SECONDS}, default 25: how long SIGTERM waits for in-flight work
 */
public record ServerConfig(int port, String bindAddress, int maxInflight, Duration shutdownGrace) {
    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SERVER_PORT must be 0..65535: " + port);
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("SERVER_MAX_INFLIGHT must be at least 1: " + maxInflight);
        }
    }

    public static ServerConfig fromEnv(Map<String, String> env) {
        Environment e = new Environment(env);
        return new ServerConfig(
                e.count("SERVER_PORT", 8082, 0),
                e.string("SERVER_BIND", "127.0.0.1"),
                e.count("SERVER_MAX_INFLIGHT", 64L * Runtime.getRuntime().availableProcessors(), 1),
                Duration.ofSeconds(e.integer("SERVER_SHUTDOWN_GRACE_SECONDS", 25, 0)));
    }
}
