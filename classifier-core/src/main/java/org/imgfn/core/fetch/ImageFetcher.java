package org.imgfn.core.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * Downloads an image over http(s) with a connect timeout, a whole-download deadline, at most
 * {@value #MAX_REDIRECTS} redirects, a byte cap (gzip included), a share of the process's
 * {@link ByteBudget} and the SSRF guard on every hop.
 *
 * <p>Java 17's HttpClient resolves host names itself and offers no hook for the address it connects to.
 * The guard therefore resolves and checks every address of the host before the request, and again
 * after the response headers arrive: both lookups and HttpClient's own go through the JVM's address
 * cache, so a rebinding answer seen by the connection is seen by the second check, and its body is
 * never used.
 */
public final class ImageFetcher {
    public static final int MAX_REDIRECTS = 3;

    private final HttpClient client;
    private final Duration deadline;
    private final long maxBytes;
    private final Predicate<InetAddress> allowedAddress;
    private final ByteBudget budget;

    public ImageFetcher(Duration connectTimeout, Duration deadline, long maxBytes, boolean allowPrivateNetworks,
            ByteBudget budget) {
        this(connectTimeout, deadline, maxBytes, allowPrivateNetworks ? address -> true : AddressPolicy::isAllowed,
                budget);
    }

    ImageFetcher(Duration connectTimeout, Duration deadline, long maxBytes, Predicate<InetAddress> allowedAddress,
            ByteBudget budget) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.deadline = deadline;
        this.maxBytes = maxBytes;
        this.allowedAddress = allowedAddress;
        this.budget = budget;
    }

    /** Parses and checks a user-given image URL: absolute, http or https, with a host. */
    public static URI parseUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "missing url: pass the image address as ?url=... or as {\"url\": \"...\"}");
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "only http and https image URLs are fetched, not '" + raw + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "url has no host: " + raw);
        }
        return uri;
    }

    /**
     * Downloads {@code url} and returns the (decompressed) body of its final 200 answer, holding its share
     * of the byte budget until the returned download is closed.
     */
    public Download fetch(URI url) {
        ByteBudget.Reservation reservation = budget.open();
        try {
            return new Download(fetch(url, reservation), reservation);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    private byte[] fetch(URI url, ByteBudget.Reservation reservation) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        URI current = parseUrl(url.toString());
        for (int redirects = 0; ; redirects++) {
            String host = checkedHost(current);
            HttpResponse<byte[]> response = send(current, deadlineNanos, reservation);
            checkResolved(host, current);
            int status = response.statusCode();
            if (isRedirect(status)) {
                if (redirects == MAX_REDIRECTS) {
                    throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                            "more than " + MAX_REDIRECTS + " redirects, starting at " + url);
                }
                current = redirectTarget(current, response);
                continue;
            }
            if (status != 200) {
                throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                        "the image server answered HTTP " + status + " for " + current);
            }
            return decoded(response, reservation);
        }
    }

    static ClassifyException overBudget() {
        return new ClassifyException(ErrorCode.OVERLOADED, "images being downloaded or waiting to be decoded fill"
                + " the memory set aside for them (CLASSIFIER_MAX_BUFFERED_BYTES); retry shortly");
    }

    private String checkedHost(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Optional<InetAddress> numeric = AddressPolicy.numericIpv4(host);
        if (numeric.isPresent() && !numeric.get().getHostAddress().equals(host)) {
            if (!allowedAddress.test(numeric.get())) {
                throw notAllowed(uri, numeric.get());
            }
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "write the IPv4 address of " + uri + " in dotted decimal, as " + numeric.get().getHostAddress());
        }
        checkResolved(host, uri);
        return host;
    }

    private void checkResolved(String host, URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "cannot resolve the host of " + uri);
        }
        for (InetAddress address : addresses) {
            if (!allowedAddress.test(address)) {
                throw notAllowed(uri, address);
            }
        }
    }

    private static ClassifyException notAllowed(URI uri, InetAddress address) {
        return new ClassifyException(ErrorCode.ADDRESS_NOT_ALLOWED,
                uri.getHost() + " resolves to " + address.getHostAddress()
                        + ", a loopback, private, link-local or otherwise internal address that images are not"
                        + " fetched from (set CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true to allow it on a trusted network)");
    }

    private HttpResponse<byte[]> send(URI uri, long deadlineNanos, ByteBudget.Reservation reservation) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(uri);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(Duration.ofNanos(remaining))
                .header("Accept", "image/*")
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "imgfn-classifier")
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> bodyFor(info, reservation));
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(uri);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the download of " + uri + " was interrupted");
        } catch (ExecutionException e) {
            throw translate(uri, e.getCause());
        }
    }

    private HttpResponse.BodySubscriber<byte[]> bodyFor(HttpResponse.ResponseInfo info,
            ByteBudget.Reservation reservation) {
        if (info.statusCode() != 200) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new CappedBodySubscriber(maxBytes, declared, declared > maxBytes
                ? () -> tooLarge("declares " + declared + " bytes, more")
                : () -> tooLarge("is larger"), reservation);
    }

    private byte[] decoded(HttpResponse<byte[]> response, ByteBudget.Reservation reservation) {
        String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").trim()
                .toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "identity", "" -> response.body();
            case "gzip", "x-gzip" -> gunzip(response.body(), reservation);
            default -> throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                    "the image server used Content-Encoding '" + encoding + "'; only gzip is supported");
        };
    }

    private byte[] gunzip(byte[] compressed, ByteBudget.Reservation reservation) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge("is larger once decompressed");
            }
            if (!reservation.grow(body.length)) {
                throw overBudget();
            }
            return body;
        } catch (IOException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the gzip-encoded image body is broken: " + e.getMessage());
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
        if (cause instanceof HttpConnectTimeoutException) {
            return new ClassifyException(ErrorCode.UPSTREAM_TIMEOUT, "could not connect to " + uri.getHost() + " in time");
        }
        if (cause instanceof HttpTimeoutException) {
            return timeout(uri);
        }
        if (cause instanceof ConnectException) {
            return new ClassifyException(ErrorCode.UPSTREAM_ERROR, "could not connect to " + uri.getHost() + ":"
                    + effectivePort(uri));
        }
        if (cause instanceof IOException e) {
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

    private static URI redirectTarget(URI from, HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                        "the image server redirected " + from + " without a Location header"));
        URI target;
        try {
            target = from.resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the image server redirected to an invalid URL: "
                    + location);
        }
        try {
            return parseUrl(target.toString());
        } catch (ClassifyException e) {
            throw new ClassifyException(ErrorCode.UPSTREAM_ERROR,
                    "the image server redirected " + from + " to " + location + ", which is not fetched: "
                            + e.getMessage());
        }
    }
}
