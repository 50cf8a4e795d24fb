package org.imgfn.core.fetch;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.hc.client5.http.DnsResolver;
import org.imgfn.core.DaemonThreads;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an image may be fetched from a host: the HTTP client's only way to a host's addresses. It
 * looks the host up once, within the download's deadline, refuses the connection if any address is
 * one {@link AddressPolicy} does not allow, and the client connects only to the addresses it returned:
 * there is no second lookup a rebinding DNS answer could change, no window between check and connect.
 */
final class GuardedResolver implements DnsResolver {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedResolver.class);
    /** Name lookups run here, so that one that hangs is abandoned at the download's deadline. */
    private static final ThreadPoolExecutor LOOKUPS = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("dns-lookup"));

    /** The deadline of the download on this thread, for the lookups the HTTP client asks for on it. */
    private final ThreadLocal<Long> deadlineNanos = new ThreadLocal<>();
    private final Predicate<InetAddress> allowedAddress;
    private final Function<String, InetAddress[]> lookup;
    private final Duration deadline;

    /**
     * @param lookup   resolves a host name (or literal) to its addresses; throws UncheckedIOException when none
     * @param deadline a whole download's, which its lookups share
     */
    GuardedResolver(Predicate<InetAddress> allowedAddress, Function<String, InetAddress[]> lookup, Duration deadline) {
        this.allowedAddress = allowedAddress;
        this.lookup = lookup;
        this.deadline = deadline;
    }

    /** The guard as configured: internal addresses refused unless allowed, this host's own always. */
    static Predicate<InetAddress> policy(boolean allowPrivateNetworks) {
        return allowPrivateNetworks ? address -> !AddressPolicy.isThisHost(address) : AddressPolicy::isAllowed;
    }

    static InetAddress[] systemLookup(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code download} with the lookups it makes on this thread held to {@code deadlineNanos}. */
    <T> T within(long deadlineNanos, Supplier<T> download) {
        this.deadlineNanos.set(deadlineNanos);
        try {
            return download.get();
        } finally {
            this.deadlineNanos.remove();
        }
    }

    /** Host names written as numbers in a spelling other than dotted decimal are refused before any lookup. */
    void checkSpelling(URI uri) {
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
    public String resolveCanonicalHostname(String host) {
        return bare(host);
    }

    private InetAddress[] lookupWithinDeadline(String name) throws UnknownHostException {
        Long until = deadlineNanos.get();
        long remaining = until == null ? deadline.toNanos() : until - System.nanoTime();
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

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
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
}
