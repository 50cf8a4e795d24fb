package org.imgfn.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.memory.ByteBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https downloads through the client's deferred TLS, against a loopback HTTPS server whose self-signed
 * certificate keytool makes for the test: the certificate must be trusted and name the host.
 */
class TlsDownloadTest {
    static final byte[] BODY = "image bytes over TLS".getBytes(StandardCharsets.US_ASCII);
    static final String PASSWORD = "changeit";

    @TempDir
    Path dir;
    HttpsServer server;
    final AtomicInteger answered = new AtomicInteger();
    String trustStoreBefore = System.getProperty("javax.net.ssl.trustStore");

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (trustStoreBefore == null) {
            System.clearProperty("javax.net.ssl.trustStore");
        } else {
            System.setProperty("javax.net.ssl.trustStore", trustStoreBefore);
        }
        System.clearProperty("javax.net.ssl.trustStorePassword");
    }

    @Test
    void downloadsFromAServerWhoseCertificateIsTrustedAndNamesTheHost() throws Exception {
        URI url = serveWithCertificateFor("ip:127.0.0.1");
        trustTheServersCertificate();

        try (ImageFetcher fetcher = newFetcher(); Download download = fetcher.fetch(url, KnownVersions.NONE)) {
            assertThat(download.bytes()).isEqualTo(BODY);
        }
    }

    @Test
    void refusesACertificateThatIsNotTrusted() throws Exception {
        URI url = serveWithCertificateFor("ip:127.0.0.1");

        try (ImageFetcher fetcher = newFetcher()) {
            assertThatThrownBy(() -> fetcher.fetch(url, KnownVersions.NONE)).isInstanceOfSatisfying(ClassifyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
                assertThat(e.getMessage()).contains("certification path");
            });
        }
        assertThat(answered).as("requests the server answered").hasValue(0);
    }

    @Test
    void refusesATrustedCertificateForAnotherHost() throws Exception {
        URI url = serveWithCertificateFor("dns:images.example.org");
        trustTheServersCertificate();

        try (ImageFetcher fetcher = newFetcher()) {
            assertThatThrownBy(() -> fetcher.fetch(url, KnownVersions.NONE)).isInstanceOfSatisfying(ClassifyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
                assertThat(e.getMessage()).contains("No subject alternative names matching IP address 127.0.0.1");
            });
        }
        assertThat(answered).as("requests the server answered").hasValue(0);
    }

    /** Any loopback address is let through: this test is about TLS, not the address policy. */
    private static ImageFetcher newFetcher() {
        return new ImageFetcher(new FetchSettings(false, Duration.ofSeconds(2), Duration.ofSeconds(5)), 1_000_000,
                address -> address.isLoopbackAddress(), GuardedResolver::systemLookup, new ByteBudget(1_000_000));
    }

    private URI serveWithCertificateFor(String subjectAlternativeName) throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test",
                "-ext", "san=" + subjectAlternativeName, "-validity", "2", "-keystore", path("server.p12"),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path("server.p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/image.png", exchange -> {
            answered.incrementAndGet();
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, BODY.length);
                exchange.getResponseBody().write(BODY);
            }
        });
        server.start();
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/image.png");
    }

    /** The JDK's default trust store, which the client's TLS reads when it is built, becomes one with this certificate. */
    private void trustTheServersCertificate() throws Exception {
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", path("server.p12"), "-storepass", PASSWORD,
                "-file", path("server.pem"));
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", path("server.pem"), "-keystore",
                path("trust.p12"), "-storetype", "PKCS12", "-storepass", PASSWORD);
        System.setProperty("javax.net.ssl.trustStore", path("trust.p12"));
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    }

    private String path(String file) {
        return dir.resolve(file).toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }
}
