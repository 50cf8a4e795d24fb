package org.imgfn.openfaas;

import java.time.Duration;

/**
 * What the function's HTTP server lets one connection hold, so that it is safe without a watchdog in
 * front: the request line and header sizes (answered {@code 414} and {@code 431}), how long a kept-alive
 * connection may sit idle, and the deadlines for a request's headers (from its first byte) and its body.
 */
record HttpLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaders, Duration idleTimeout,
        Duration headerTimeout, Duration bodyTimeout) {
    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 100;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    static HttpLimits of(Duration headerTimeout, Duration bodyTimeout) {
        return new HttpLimits(MAX_REQUEST_LINE, MAX_HEADER_BYTES, MAX_HEADERS, IDLE_TIMEOUT, headerTimeout, bodyTimeout);
    }
}
