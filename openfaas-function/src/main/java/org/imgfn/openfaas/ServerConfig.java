package org.imgfn.openfaas;

import java.time.Duration;
import java.util.Map;

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
        return new ServerConfig(
                integer(env, "SERVER_PORT", 8082),
                env.getOrDefault("SERVER_BIND", "127.0.0.1"),
                integer(env, "SERVER_MAX_INFLIGHT", 64 * Runtime.getRuntime().availableProcessors()),
                Duration.ofSeconds(integer(env, "SERVER_SHUTDOWN_GRACE_SECONDS", 25)));
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + value, e);
        }
    }
}
