package org.imgfn.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractThrowableAssert;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.memory.Budgets;
import org.imgfn.core.memory.ByteBudget;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The downloader against a real loopback server misbehaving in every way the limits guard against. */
class ImageFetcherTest {
    static final long CAP = 100_000;
    static final Duration DEADLINE = Duration.ofMillis(1500);

    LoopbackServer server;

    /** Lets only the test server's own address through; any other loopback address stands for "internal". */
    static final Predicate<InetAddress> TEST_SERVER_ONLY =
            a -> a.getHostAddress().equals("127.0.0.1") || AddressPolicy.isAllowed(a);

    final ByteBudget budget = new ByteBudget(10 * CAP);
    final ImageFetcher fetcher = new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(2), DEADLINE), CAP, TEST_SERVER_ONLY, GuardedResolver::systemLookup, budget);

    @BeforeEach
    void start() {
        server = new LoopbackServer();
    }

    /** Every way a download ends, refusals and timeouts included, gives its bytes back to the budget. */
    @AfterEach
    void stop() {
        server.close();
        assertThat(Budgets.used(budget)).as("bytes still reserved after the test").isZero();
    }

    /** A download that names no version for the server to confirm. */
    private static Download fetchOnce(ImageFetcher fetcher, URI url) {
        return fetcher.fetch(url, KnownVersions.NONE);
    }

    private byte[] fetch(String path) {
        try (Download download = fetchOnce(fetcher, URI.create(server.url(path)))) {
            return download.bytes();
        }
    }

    @Test
    void refusesADownloadThatDoesNotFitTheByteBudgetAndFreesItsShareOnClose() {
        ByteBudget small = new ByteBudget(20_000);
        ImageFetcher tight = new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(2), DEADLINE), CAP, TEST_SERVER_ONLY, GuardedResolver::systemLookup, small);
        URI horse = URI.create(server.url("/images/horse.png"));

        try (Download held = fetchOnce(tight, horse)) {
            assertThat(Budgets.used(small)).isEqualTo(held.bytes().length);
            assertThatThrownBy(() -> fetchOnce(tight, horse)).isInstanceOfSatisfying(ClassifyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                assertThat(e.getMessage()).contains("CLASSIFIER_MAX_BUFFERED_BYTES");
            });
            assertThat(Budgets.used(small)).as("the refused download gave its part back").isEqualTo(held.bytes().length);
        }
        assertThat(Budgets.used(small)).isZero();
        try (Download again = fetchOnce(tight, horse)) {
            assertThat(again.bytes()).isEqualTo(SharedFiles.imageBytes("horse.png"));
        }
    }

    private AbstractThrowableAssert<?, ?> assertRefused(String path, ErrorCode code) {
        return assertThatThrownBy(() -> fetch(path)).isInstanceOfSatisfying(ClassifyException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void downloadsAnImage() {
        assertThat(fetch("/images/horse.png")).isEqualTo(SharedFiles.imageBytes("horse.png"));
    }

    @Test
    void decompressesGzipEncodedBodies() {
        byte[] horse = SharedFiles.imageBytes("horse.png");
        server.route("/gz", LoopbackServer.gzip("image/png", horse));

        assertThat(fetch("/gz")).isEqualTo(horse);
    }

    @Test
    void acceptsAChunkedBodyUnderTheCap() {
        byte[] horse = SharedFiles.imageBytes("horse.png");
        server.route("/chunked", LoopbackServer.chunked("image/png", horse));

        assertThat(fetch("/chunked")).isEqualTo(horse);
    }

    @Test
    void reportsTheUpstreamStatus() {
        server.route("/missing", LoopbackServer.status(404));

        assertRefused("/missing", ErrorCode.UPSTREAM_ERROR).hasMessageContaining("HTTP 404");
    }

    @Test
    void refusesATooLargeDeclaredLengthBeforeReadingTheBody() {
        server.route("/declared", LoopbackServer.declaresLength(CAP + 1));

        assertRefused("/declared", ErrorCode.IMAGE_TOO_LARGE).hasMessageContaining("declares");
    }

    @Test
    void refusesATooLargeBodyWithContentLength() {
        server.route("/big", LoopbackServer.body("image/jpeg", new byte[(int) CAP + 1]));

        assertRefused("/big", ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void refusesATooLargeChunkedBodyWithoutContentLength() {
        server.route("/big-chunked", LoopbackServer.chunked("image/jpeg", new byte[(int) CAP * 3]));

        assertRefused("/big-chunked", ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void refusesAGzipBodyThatInflatesPastTheCap() {
        server.route("/bomb", LoopbackServer.gzip("image/jpeg", new byte[(int) CAP * 50]));

        assertRefused("/bomb", ErrorCode.IMAGE_TOO_LARGE).hasMessageContaining("decompressed");
    }

    @Test
    void givesUpOnAServerThatNeverAnswers() {
        server.route("/stall", LoopbackServer.stallBeforeHeaders(DEADLINE.multipliedBy(3)));

        assertRefused("/stall", ErrorCode.UPSTREAM_TIMEOUT);
    }

    @Test
    void givesUpOnABodyThatStopsHalfway() {
        server.route("/slow-body", LoopbackServer.stallInBody(SharedFiles.imageBytes("horse.png"), DEADLINE.multipliedBy(3)));

        assertRefused("/slow-body", ErrorCode.UPSTREAM_TIMEOUT);
    }

    @Test
    void followsUpToThreeRedirects() {
        server.route("/r1", LoopbackServer.redirect("/r2"))
                .route("/r2", LoopbackServer.redirect(server.url("/r3")))
                .route("/r3", LoopbackServer.redirect("/images/horse.png"));

        assertThat(fetch("/r1")).isEqualTo(SharedFiles.imageBytes("horse.png"));
    }

    @Test
    void refusesAFourthRedirect() {
        server.route("/loop", LoopbackServer.redirect("/loop"));

        assertRefused("/loop", ErrorCode.UPSTREAM_ERROR).hasMessageContaining("redirects");
        assertThat(server.hits("/loop")).isEqualTo(4);
    }

    @Test
    void refusesARedirectToAnInternalAddress() throws Exception {
        try (LoopbackServer internal = new LoopbackServer(InetAddress.getByName("127.0.0.2"))) {
            server.route("/to-internal", LoopbackServer.redirect(internal.url("/images/horse.png")));

            assertRefused("/to-internal", ErrorCode.ADDRESS_NOT_ALLOWED).hasMessageContaining("a loopback address");
            assertThat(internal.hits("/images/")).isZero();
        }
    }

    /**
     * DNS rebinding: the name answers the test server's address first and an internal one on every later
     * lookup. The client connects only to what the checked lookup returned, so the internal server is
     * never reached, whether a later request reuses the connection or looks the name up again.
     */
    @Test
    void connectsOnlyToTheAddressItCheckedWhenTheNameRebinds() throws Exception {
        try (LoopbackServer internal = new LoopbackServer(InetAddress.getByName("127.0.0.2"))) {
            internal.route("/images/", LoopbackServer.body("image/png", SharedFiles.imageBytes("horse.png")));
            AtomicInteger lookups = new AtomicInteger();
            InetAddress first = InetAddress.getByName("127.0.0.1");
            InetAddress rebound = InetAddress.getByName("127.0.0.2");
            ImageFetcher rebinding = new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(2), DEADLINE), CAP, TEST_SERVER_ONLY,
                    host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? first : rebound}, budget);
            URI url = URI.create("http://rebinding.test:" + server.port() + "/images/horse.png");

            try (Download download = fetchOnce(rebinding, url)) {
                assertThat(download.bytes()).isEqualTo(SharedFiles.imageBytes("horse.png"));
            }
            URI other = URI.create("http://rebinding.test:" + internal.port() + "/images/horse.png");
            assertThatThrownBy(() -> fetchOnce(rebinding, other)).isInstanceOfSatisfying(ClassifyException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED))
                    .as("the refusal names the rule, not the internal address").hasMessageNotContaining("127.0.0.2");

            assertThat(lookups.get()).as("one lookup per new connection, none to re-check").isEqualTo(2);
            assertThat(internal.hits("/images/")).isZero();
        }
    }

    @Test
    void aLookupThatHangsEndsAtTheDownloadDeadline() {
        ImageFetcher stuck = new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(2), Duration.ofMillis(300)), CAP, TEST_SERVER_ONLY,
                host -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new InetAddress[0];
                }, budget);

        assertThatThrownBy(() -> fetchOnce(stuck, URI.create("http://slow-dns.test/images/horse.png")))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT));
    }

    /** 0.0.0.0 and :: mean "this host": refused even where private networks are allowed. */
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "[::]", "[::ffff:0.0.0.0]"})
    void refusesThisHostEvenOnATrustedNetwork(String host) {
        ImageFetcher trusted = new ImageFetcher(new FetchSettings(true, Duration.ofSeconds(1), DEADLINE), CAP, budget);

        assertThatThrownBy(() -> fetchOnce(trusted, URI.create("http://" + host + ":" + server.port() + "/images/horse.png")))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED))
                .hasMessageContaining("this-host");
        assertThat(server.hits("/images/")).isZero();
    }

    @Test
    void refusesARedirectToAnotherScheme() {
        server.route("/to-file", LoopbackServer.redirect("file:///etc/passwd"));

        assertRefused("/to-file", ErrorCode.UPSTREAM_ERROR).hasMessageContaining("file:///etc/passwd")
                .hasMessageContaining("which is not fetched");
    }

    @Test
    void defaultPolicyRefusesLoopbackWithoutConnecting() {
        ImageFetcher guarded = new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(1), DEADLINE), CAP, budget);

        assertThatThrownBy(() -> fetchOnce(guarded, URI.create(server.url("/images/horse.png"))))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED));
        assertThatThrownBy(() -> fetchOnce(guarded, URI.create("http://localhost:" + server.port() + "/images/horse.png")))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED));
        assertThatThrownBy(() -> fetchOnce(guarded, URI.create("http://[::1]:" + server.port() + "/images/horse.png")))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED));
        assertThat(server.hits("/images/")).isZero();
    }

    /** Java's URI parser takes most numeric spellings as host names; dotted ones such as "127.1" it refuses as hosts. */
    @ParameterizedTest
    @CsvSource({"2130706433, ADDRESS_NOT_ALLOWED", "0x7f000001, ADDRESS_NOT_ALLOWED", "0177.0.0.1, ADDRESS_NOT_ALLOWED",
        "0x7f.0.0.1, INVALID_REQUEST", "127.1, INVALID_REQUEST"})
    void defaultPolicyRefusesOtherSpellingsOfLoopback(String host, ErrorCode code) {
        ImageFetcher guarded = new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(1), DEADLINE), CAP, budget);

        assertThatThrownBy(() -> fetchOnce(guarded, URI.create("http://" + host + ":" + server.port() + "/images/horse.png")))
                .isInstanceOfSatisfying(ClassifyException.class, e -> assertThat(e.code()).isEqualTo(code));
        assertThat(server.hits("/images/")).isZero();
    }

    @Test
    void reportsAConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> fetchOnce(fetcher, URI.create("http://127.0.0.1:" + closedPort + "/x.png")))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/x.png", "file:///etc/passwd", "gopher://127.0.0.1/", "not a url",
        "/relative/path.png", "http:///no-host.png", "javascript:alert(1)", " "})
    void refusesUrlsThatAreNotHttpOrHttps(String url) {
        assertThatThrownBy(() -> ClassifyRequest.parseUrl(url)).isInstanceOfSatisfying(ClassifyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
