package org.imgfn.core.fetch;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.imgfn.core.DaemonThreads;

/**
 * The client's TLS (HttpClient's default: the JDK's trusted certificates, host names checked against the
 * public suffix list), built when first wanted rather than with the client. Reading the trust store and
 * the suffix list keeps a core busy for a good part of a start, which the model load needs more, and
 * then the first request: a server {@linkplain #prepare(Duration) prepares} it in the background once it
 * is ready, after a grace period that the end of the first request cuts short ({@link #prepareNow()}).
 * An https download that comes first builds it on the spot.
 */
final class DeferredTls implements TlsSocketStrategy {
    private final CountDownLatch now = new CountDownLatch(1);
    private final AtomicBoolean preparing = new AtomicBoolean();
    private volatile TlsSocketStrategy strategy;

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
            throws IOException {
        return strategy().upgrade(socket, target, port, attachment, context);
    }

    private TlsSocketStrategy strategy() {
        TlsSocketStrategy built = strategy;
        if (built == null) {
            synchronized (this) {
                built = strategy;
                if (built == null) {
                    strategy = built = DefaultClientTlsStrategy.createDefault();
                }
            }
        }
        return built;
    }

    /**
     * Builds it on a thread of its own after {@code grace}, or as soon as {@link #prepareNow()} is called,
     * so that a later https download does not wait for it. Only the first call counts.
     */
    void prepare(Duration grace) {
        if (preparing.compareAndSet(false, true)) {
            DaemonThreads.named("tls-setup").newThread(() -> {
                try {
                    now.await(grace.toNanos(), TimeUnit.NANOSECONDS);
                    strategy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).start();
        }
    }

    /** Ends the grace period of {@link #prepare(Duration)}, now or when it is called. */
    void prepareNow() {
        now.countDown();
    }

    boolean isBuilt() {
        return strategy != null;
    }
}
