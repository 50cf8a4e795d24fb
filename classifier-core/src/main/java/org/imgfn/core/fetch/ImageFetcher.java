package org.imgfn.core.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.imgfn.core.DaemonThreads;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads an image over http(s) with a connect timeout, a whole-download deadline (name lookups
 * included), at most {@value #MAX_REDIRECTS} redirects, a byte cap (gzip included), a share of the
 * process's {@link ByteBudget} and the SSRF guard on every hop.
 *
 * <p>The guard is the HTTP client's name resolver: it looks the host up once, refuses the connection
 * if any address is internal, and the client connects only to the addresses it returned. There is no
 * second lookup a rebinding DNS answer could change, no window between check and connect, and no proxy.
 */
public final class ImageFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFetcher.class);
    public static final int MAX_REDIRECTS = 3;
    /** Name lookups run here, so that one that hangs is abandoned at the download's deadline. */
    private static final ThreadPoolExecutor LOOKUPS = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("dns-lookup"));
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("download-deadline"));
    /** The deadline of the download on this thread, for the resolver that the HTTP client calls on it. */
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private final CloseableHttpClient client;
    private final Duration deadline;
    private final long maxBytes;
    private final Predicate<InetAddress> allowedAddress;
    private final Function<String, InetAddress[]> lookup;
    private final ByteBudget budget;

    public ImageFetcher(Duration connectTimeout, Duration deadline, long maxBytes, boolean allowPrivateNetworks,
            ByteBudget budget) {
        this(connectTimeout, deadline, maxBytes,
                allowPrivateNetworks ? address -> !AddressPolicy.isThisHost(address) : AddressPolicy::isAllowed,
                ImageFetcher::systemLookup, budget);
    }

    /** {@code lookup} resolves a host name (or literal) to its addresses; it throws UncheckedIOException when none. */
    ImageFetcher(Duration connectTimeout, Duration deadline, long maxBytes, Predicate<InetAddress> allowedAddress,
            Function<String, InetAddress[]> lookup, ByteBudget budget) {
        this.deadline = deadline;
        this.maxBytes = maxBytes;
        this.allowedAddress = allowedAddress;
        this.lookup = lookup;
        this.budget = budget;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckingResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .setMaxConnTotal(256)
                        .setMaxConnPerRoute(64)
                        .build())
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("imgfn-classifier")
                .build();
    }

    static InetAddress[] systemLookup(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Downloads {@code url} unconditionally: see {@link #fetch(URI, KnownVersions)}. */
    public Download fetch(URI url) {
        return fetch(url, KnownVersions.NONE);
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
            Fetched fetched = fetch(url, known, reservation);
            return new Download(fetched.source(), fetched.body(), fetched.validators(), fetched.storable(), reservation);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    private Fetched fetch(URI url, KnownVersions known, ByteBudget.Reservation reservation) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        URI current = ClassifyRequest.parseUrl(url.toString());
        DEADLINE.set(deadlineNanos);
        try {
            for (int redirects = 0; ; redirects++) {
                checkSpelling(current);
                Fetched fetched = get(current, deadlineNanos, reservation, known.of(current).orElse(Validators.NONE));
                if (fetched.location() == null) {
                    return fetched;
                }
                if (redirects == MAX_REDIRECTS) {
                    throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                            "more than " + MAX_REDIRECTS + " redirects, starting at " + url);
                }
                current = redirectTarget(current, fetched.location());
            }
        } finally {
            DEADLINE.remove();
        }
    }

    /**
     * A final answer (a body, or none when {@code 304 Not Modified}) from {@code source}, or where a
     * redirect points.
     */
    private record Fetched(URI source, byte[] body, Validators validators, boolean storable, String location) {
        static Fetched redirect(URI source, String location) {
            return new Fetched(source, null, Validators.NONE, false, location);
        }
    }

    /** Host names written as numbers in a spelling other than dotted decimal are refused before any lookup. */
    private void checkSpelling(URI uri) {
        String host = bare(uri.getHost());
        Optional<InetAddress> numeric = AddressPolicy.numericIpv4(host);
        if (numeric.isPresent() && !numeric.get().getHostAddress().equals(host)) {
            if (!allowedAddress.test(numeric.get())) {
                throw notAllowed(uri.getHost(), numeric.get());
            }
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "write the IPv4 address of " + uri + " in dotted decimal, as " + numeric.get().getHostAddress());
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The HTTP client's only way to a host's addresses: looked up within the deadline, every one checked. */
    private final class CheckingResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            String name = bare(host);
            InetAddress[] addresses = lookupWithinDeadline(name);
            if (addresses.length == 0) {
                throw new UnknownHostException(name);
            }
            for (InetAddress address : addresses) {
                if (!allowedAddress.test(address)) {
                    throw notAllowed(name, address);
                }
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return bare(host);
        }

        private InetAddress[] lookupWithinDeadline(String name) throws UnknownHostException {
            Long deadlineNanos = DEADLINE.get();
            long remaining = deadlineNanos == null ? deadline.toNanos() : deadlineNanos - System.nanoTime();
            CompletableFuture<InetAddress[]> answer;
            try {
                answer = CompletableFuture.supplyAsync(() -> lookup.apply(name), LOOKUPS);
            } catch (RejectedExecutionException e) {
                throw new ClassifyException(ErrorCode.OVERLOADED, "too many host names are being looked up; retry shortly");
            }
            try {
                return answer.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                answer.cancel(true);
                throw new ClassifyException(ErrorCode.UPSTREAM_TIMEOUT, "looking up " + name + " did not finish within "
                        + deadline.toMillis() + " ms (CLASSIFIER_DOWNLOAD_TIMEOUT_MS)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException(name + " (interrupted)");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ClassifyException refused) {
                    throw refused;
                }
                throw new UnknownHostException(name);
            }
        }
    }

    /** Names the rule, not the address: the caller must not learn what an internal name resolves to. */
    private static ClassifyException notAllowed(String host, InetAddress address) {
        String rule = AddressPolicy.refusal(address).orElse("a refused");
        LOG.info("Refused to fetch from {}: {} is {} address", host, address.getHostAddress(), rule);
        String fix = AddressPolicy.isThisHost(address) ? "" : " (set CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true to allow"
                + " internal addresses on a trusted network)";
        return new ClassifyException(ErrorCode.ADDRESS_NOT_ALLOWED,
                "the host " + host + " resolves to " + rule + " address, which images are not fetched from" + fix);
    }

    /**
     * One GET, cancelled (its connection closed) at the deadline, asking the server to confirm {@code known}
     * when there is one. Anything but a 200, a redirect or an asked-for 304 is refused without reading its
     * body; a refused or cut-short body closes the connection.
     */
    private Fetched get(URI uri, long deadlineNanos, ByteBudget.Reservation reservation, Validators known) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(uri);
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
                    throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                            "the image server redirected " + uri + " without a Location header");
                }
                return Fetched.redirect(uri, location.getValue());
            }
            if (status == 304) {
                if (known.isEmpty()) {
                    throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the image server answered 304 Not Modified"
                            + " for " + uri + " to a request that named no version");
                }
                bodyRead = true;
                return new Fetched(uri, null, validators(response, known), storable(response), null);
            }
            if (status != 200) {
                throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                        "the image server answered HTTP " + status + " for " + uri);
            }
            byte[] body = body(response, reservation);
            bodyRead = true;
            return new Fetched(uri, body, validators(response, Validators.NONE), storable(response), null);
        } catch (IOException | RuntimeException e) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw timeout(uri);
            }
            throw translate(uri, e);
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
                    () -> tooLarge(declared > maxBytes ? "declares " + declared + " bytes, more" : "is larger"));
            case "gzip", "x-gzip" -> gunzip(raw, declared, reservation);
            default -> throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                    "the image server used Content-Encoding '" + encoding + "'; only gzip is supported");
        };
        raw.close();
        return body;
    }

    /** Decompresses as it reads: only the decompressed bytes are held, under the same cap and budget. */
    private byte[] gunzip(InputStream compressed, long declared, ByteBudget.Reservation reservation) {
        if (declared > maxBytes) {
            throw tooLarge("declares " + declared + " bytes, more");
        }
        try {
            return BodyReader.read(new GZIPInputStream(compressed, 8192), -1, maxBytes, reservation,
                    () -> tooLarge("is larger once decompressed"));
        } catch (ZipException | EOFException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the gzip-encoded image body is broken: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ClassifyException tooLarge(String how) {
        return new ClassifyException(ErrorCode.IMAGE_TOO_LARGE,
                "the image " + how + " than the limit of " + maxBytes + " bytes (CLASSIFIER_MAX_IMAGE_BYTES)");
    }

    private ClassifyException timeout(URI uri) {
        return new ClassifyException(ErrorCode.UPSTREAM_TIMEOUT,
                "the download of " + uri + " did not finish within " + deadline.toMillis()
                        + " ms (CLASSIFIER_DOWNLOAD_TIMEOUT_MS)");
    }

    private RuntimeException translate(URI uri, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClassifyException e) {
                return e;
            }
        }
        Throwable root = cause instanceof UncheckedIOException unchecked ? unchecked.getCause() : cause;
        if (root instanceof ConnectTimeoutException) {
            return new ClassifyException(ErrorCode.UPSTREAM_TIMEOUT, "could not connect to " + uri.getHost() + " in time");
        }
        if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
            return timeout(uri);
        }
        if (root instanceof UnknownHostException) {
            return new ClassifyException(ErrorCode.UPSTREAM_ERROR, "cannot resolve the host of " + uri);
        }
        if (root instanceof ConnectException) {
            return new ClassifyException(ErrorCode.UPSTREAM_ERROR, "could not connect to " + uri.getHost() + ":"
                    + effectivePort(uri));
        }
        if (root instanceof IOException e) {
            return new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the download of " + uri + " failed: " + e);
        }
        return new IllegalStateException("unexpected failure downloading " + uri, cause);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI redirectTarget(URI from, String location) {
        URI target;
        try {
            target = from.resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the image server redirected to an invalid URL: "
                    + location);
        }
        try {
            return ClassifyRequest.parseUrl(target.toString());
        } catch (ClassifyException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                    "the image server redirected " + from + " to " + location + ", which is not fetched: "
                            + e.getMessage());
        }
    }
}
