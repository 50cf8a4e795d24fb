package org.imgfn.core.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.imgfn.core.DaemonThreads;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.memory.BodyReader;
import org.imgfn.core.memory.ByteBudget;

/**
 * Downloads an image over http(s) with a connect timeout, a whole-download deadline (name lookups
 * included), at most {@value #MAX_REDIRECTS} redirects, a byte cap (gzip included), a share of the
 * process's {@link ByteBudget}, and the {@link GuardedResolver} deciding on every hop which addresses
 * may be connected to (no proxy). What it knows of an image URL's version it asks the server to confirm.
 */
public final class ImageFetcher implements AutoCloseable {
    public static final int MAX_REDIRECTS = 3;
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("download-deadline"));

    private final CloseableHttpClient client;
    private final GuardedResolver guard;
    private final FetchFailures failures;
    private final Duration deadline;
    private final long maxBytes;
    private final ByteBudget budget;
    private final DeferredTls tls = new DeferredTls();

    public ImageFetcher(FetchSettings settings, long maxBytes, ByteBudget budget) {
        this(settings, maxBytes, GuardedResolver.policy(settings.allowPrivateNetworks()), GuardedResolver::systemLookup,
                budget);
    }

    /** {@code lookup} resolves a host name (or literal) to its addresses; it throws UncheckedIOException when none. */
    ImageFetcher(FetchSettings settings, long maxBytes, Predicate<InetAddress> allowedAddress,
            Function<String, InetAddress[]> lookup, ByteBudget budget) {
        this.deadline = settings.downloadTimeout();
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.guard = new GuardedResolver(allowedAddress, lookup, deadline);
        this.failures = new FetchFailures(deadline, maxBytes);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard)
                        .setTlsSocketStrategy(tls)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .setMaxConnTotal(256)
                        .setMaxConnPerRoute(64)
                        .build())
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableCookieManagement()
                // Empty, as cookies are off: the default registry would read the public suffix list at start.
                .setDefaultCookieSpecRegistry(RegistryBuilder.<CookieSpecFactory>create().build())
                .disableAuthCaching()
                .setUserAgent("imgfn-classifier")
                .build();
    }

    /**
     * Prepares https downloads on a thread of its own, ahead of the first one, after {@code grace} or
     * once a request has ended ({@link #requestEnded()}): built beside a server's first request, it slowed that.
     */
    public void prepareTls(Duration grace) {
        tls.prepare(grace);
    }

    /** Ends {@link #prepareTls}'s grace period, if it is not over. */
    public void requestEnded() {
        tls.prepareNow();
    }

    /**
     * Downloads {@code url} and returns the (decompressed) body of its final 200 answer, holding its share
     * of the byte budget until the returned download is closed. For a URL (first or redirected to) that
     * {@code known} has a version of, the request asks the server to confirm it, and a {@code 304} ends the
     * fetch without a body.
     */
    public Download fetch(URI url, KnownVersions known) {
        ByteBudget.Reservation reservation = budget.open();
        try {
            Hop hop = fetch(url, known, reservation);
            return new Download(hop.source(), hop.body(), hop.validators(), hop.storable(), reservation);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    private Hop fetch(URI url, KnownVersions known, ByteBudget.Reservation reservation) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        return guard.within(deadlineNanos, () -> {
            URI current = ClassifyRequest.parseUrl(url.toString());
            for (int redirects = 0; ; redirects++) {
                guard.checkSpelling(current);
                Hop hop = get(current, deadlineNanos, reservation, known.of(current).orElse(Validators.NONE));
                if (hop.location() == null) {
                    return hop;
                }
                if (redirects == MAX_REDIRECTS) {
                    throw FetchFailures.upstream("more than " + MAX_REDIRECTS + " redirects, starting at " + url);
                }
                current = redirectTarget(current, hop.location());
            }
        });
    }

    /**
     * What one GET brought: a final answer (a body, or none when {@code 304 Not Modified}) from
     * {@code source}, or where a redirect points.
     */
    private record Hop(URI source, byte[] body, Validators validators, boolean storable, String location) {
        static Hop redirect(URI source, String location) {
            return new Hop(source, null, Validators.NONE, false, location);
        }
    }

    /**
     * One GET, cancelled (its connection closed) at the deadline, asking the server to confirm {@code known}
     * when there is one. Anything but a 200, a redirect or an asked-for 304 is refused without reading its
     * body; a refused or cut-short body closes the connection.
     */
    private Hop get(URI uri, long deadlineNanos, ByteBudget.Reservation reservation, Validators known) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw failures.timeout(uri);
        }
        HttpGet request = new HttpGet(uri);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(Duration.ofNanos(remaining)))
                .setConnectionRequestTimeout(Timeout.of(Duration.ofNanos(remaining)))
                .build());
        request.addHeader("Accept", "image/*");
        request.addHeader("Accept-Encoding", "gzip");
        if (known.etag() != null) {
            request.addHeader("If-None-Match", known.etag());
        }
        if (known.lastModified() != null) {
            request.addHeader("If-Modified-Since", known.lastModified());
        }
        ScheduledFuture<?> cancel = DEADLINES.schedule(request::cancel, remaining, TimeUnit.NANOSECONDS);
        ClassicHttpResponse response = null;
        boolean bodyRead = false;
        try {
            response = client.executeOpen(null, request, null);
            int status = response.getCode();
            if (isRedirect(status)) {
                Header location = response.getFirstHeader("Location");
                if (location == null) {
                    throw FetchFailures.upstream("the image server redirected " + uri + " without a Location header");
                }
                return Hop.redirect(uri, location.getValue());
            }
            if (status == 304) {
                if (known.isEmpty()) {
                    throw FetchFailures.upstream("the image server answered 304 Not Modified"
                            + " for " + uri + " to a request that named no version");
                }
                bodyRead = true;
                return new Hop(uri, null, validators(response, known), storable(response), null);
            }
            if (status != 200) {
                throw FetchFailures.upstream("the image server answered HTTP " + status + " for " + uri);
            }
            byte[] body = body(response, reservation);
            bodyRead = true;
            return new Hop(uri, body, validators(response, Validators.NONE), storable(response), null);
        } catch (IOException | RuntimeException e) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw failures.timeout(uri);
            }
            throw failures.translate(uri, e);
        } finally {
            cancel.cancel(false);
            if (!bodyRead) {
                // Closing a response reads the rest of its body to reuse the connection; abort it first.
                request.cancel();
            }
            closeQuietly(response);
        }
    }

    /** The answer's validators; a 304 that repeats none keeps those it confirmed. */
    private static Validators validators(ClassicHttpResponse response, Validators confirmed) {
        Header etag = response.getFirstHeader("ETag");
        Header lastModified = response.getFirstHeader("Last-Modified");
        if (etag == null && lastModified == null) {
            return confirmed;
        }
        return new Validators(etag == null ? null : etag.getValue(), lastModified == null ? null : lastModified.getValue());
    }

    /** False when a {@code Cache-Control} header of the answer says {@code no-store}. */
    private static boolean storable(ClassicHttpResponse response) {
        for (Header header : response.getHeaders("Cache-Control")) {
            for (String directive : header.getValue().split(",")) {
                if (directive.trim().equalsIgnoreCase("no-store")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException ignored) {
                // the connection was aborted, or the server went away: nothing to keep
            }
        }
    }

    private byte[] body(ClassicHttpResponse response, ByteBudget.Reservation reservation) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new byte[0];
        }
        Header header = response.getFirstHeader("Content-Encoding");
        String encoding = header == null ? "identity" : header.getValue().trim().toLowerCase(Locale.ROOT);
        long declared = entity.getContentLength();
        InputStream raw = entity.getContent();
        byte[] body = switch (encoding) {
            case "identity", "" -> BodyReader.read(raw, declared, maxBytes, reservation,
                    () -> failures.tooLarge(declared > maxBytes ? "declares " + declared + " bytes, more" : "is larger"));
            case "gzip", "x-gzip" -> gunzip(raw, declared, reservation);
            default -> throw FetchFailures.upstream(
                    "the image server used Content-Encoding '" + encoding + "'; only gzip is supported");
        };
        raw.close();
        return body;
    }

    /** Decompresses as it reads: only the decompressed bytes are held, under the same cap and budget. */
    private byte[] gunzip(InputStream compressed, long declared, ByteBudget.Reservation reservation) {
        if (declared > maxBytes) {
            throw failures.tooLarge("declares " + declared + " bytes, more");
        }
        try {
            return BodyReader.read(new GZIPInputStream(compressed, 8192), -1, maxBytes, reservation,
                    () -> failures.tooLarge("is larger once decompressed"));
        } catch (ZipException | EOFException e) {
            throw FetchFailures.upstream("the gzip-encoded image body is broken: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI redirectTarget(URI from, String location) {
        URI target;
        try {
            target = from.resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw FetchFailures.upstream("the image server redirected to an invalid URL: " + location);
        }
        try {
            return ClassifyRequest.parseUrl(target.toString());
        } catch (ClassifyException e) {
            throw FetchFailures.upstream("the image server redirected " + from + " to " + location
                    + ", which is not fetched: " + e.getMessage());
        }
    }

    /** Closes the HTTP client and its pooled connections. */
    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
