package org.imgfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Where the image server listens: loopback by default, another address (e.g. faasd's bridge) when bound to it. */
class ImageServerTest {
    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void listensOnLoopbackByDefault() throws Exception {
        try (ImageServer server = new ImageServer(null)) {
            assertThat(server.url("/synthetic/256.jpg")).startsWith("http://127.0.0.1:");
            assertThat(get(server.url("/synthetic/256.jpg")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void boundToEveryAddressItServesThemAllAndNamesLoopback() throws Exception {
        try (ImageServer server = new ImageServer(null, 0, InetAddress.getByName("0.0.0.0"))) {
            String url = server.url("/synthetic/256.jpg");
            assertThat(url).startsWith("http://127.0.0.1:");
            HttpResponse<byte[]> response = get(url);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(SyntheticImages.jpeg(256));
        }
    }

    @Test
    void imagesTakesAnAddressToBindNotAName() {
        assertThat(BenchCli.run("images", "--bind", "localhost", "--port", "0")).isNotZero();
        assertThat(new picocli.CommandLine(new ImagesCommand()).parseArgs("--bind", "10.62.0.1").matchedOption("--bind")
                .<InetAddress>getValue().getHostAddress()).isEqualTo("10.62.0.1");
    }
}
