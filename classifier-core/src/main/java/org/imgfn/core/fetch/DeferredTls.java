package org.imgfn.core.fetch;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.imgfn.core.DaemonThreads;

/**
 * The client's TLS (HttpClient's default: the JDK's trusted certificates, host names checked against the
 * public suffix list), built when first wanted rather than with the client. Reading the trust store and
 * the suffix list keeps a core busy for a good part of a start, which the model load needs more: a
 * server builds it {@link #inBackground()} once it is ready.
 */
final class DeferredTls implements TlsSocketStrategy {
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

    /** Builds it on a thread of its own, so that the first https download does not wait for it. */
    void inBackground() {
        DaemonThreads.named("tls-setup").newThread(this::strategy).start();
    }
}
