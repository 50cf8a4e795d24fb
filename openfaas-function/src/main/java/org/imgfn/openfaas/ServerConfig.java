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
 * @param headerTimeout {@code SERVER_HEADER_TIMEOUT_SECONDS}, default 10: a request's headers must arrive within
 *                      this long of its first byte, else {@code 408}
 * @param bodyTimeout   {@code SERVER_BODY_TIMEOUT_SECONDS}, default 30: a request's body must arrive within this
 *                      long of its headers, else {@code 408}
 */
public record ServerConfig(int port, String bindAddress, int maxInflight, Duration shutdownGrace,
        Duration headerTimeout, Duration bodyTimeout) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SERVER_PORT must be 0..65535: " + port);
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("SERVER_MAX_INFLIGHT must be at least 1: " + maxInflight);
        }
        if (headerTimeout.isZero() || headerTimeout.isNegative() || bodyTimeout.isZero() || bodyTimeout.isNegative()) {
            throw new IllegalArgumentException("SERVER_HEADER_TIMEOUT_SECONDS and SERVER_BODY_TIMEOUT_SECONDS must be"
                    + " positive: " + headerTimeout + ", " + bodyTimeout);
        }
    }

    public static ServerConfig fromEnv(Map<String, String> env) {
        Environment e = new Environment(env);
        return new ServerConfig(
                e.count("SERVER_PORT", 8082, 0),
                e.string("SERVER_BIND", "127.0.0.1"),
                e.count("SERVER_MAX_INFLIGHT", 64L * Runtime.getRuntime().availableProcessors(), 1),
                Duration.ofSeconds(e.integer("SERVER_SHUTDOWN_GRACE_SECONDS", 25, 0)),
                Duration.ofSeconds(e.integer("SERVER_HEADER_TIMEOUT_SECONDS", DEFAULT_HEADER_TIMEOUT.toSeconds(), 1)),
                Duration.ofSeconds(e.integer("SERVER_BODY_TIMEOUT_SECONDS", DEFAULT_BODY_TIMEOUT.toSeconds(), 1)));
    }
}
