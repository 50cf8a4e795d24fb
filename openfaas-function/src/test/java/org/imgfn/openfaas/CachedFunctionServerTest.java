package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server with the result cache on: what a repeated image's answer and the metrics show. */
class CachedFunctionServerTest {
    static LoopbackServer images;
    static FunctionServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        images = new LoopbackServer();
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of(
                "CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true", "CLASSIFIER_RESULT_CACHE_ENTRIES", "16"));
        server = FunctionServer.start(ServerConfig.fromEnv(Map.of("SERVER_PORT", "0", "SERVER_MAX_INFLIGHT", "4", "SERVER_SHUTDOWN_GRACE_SECONDS", "5")), config);
        base = "http://127.0.0.1:" + server.port();
        server.whenReady().get();
    }

    @AfterAll
    static void stop() {
        server.close();
        images.close();
    }

    @Test
    void aRepeatedImageSaysItWasCachedInItsBodyItsHeaderAndTheMetrics() {
        String query = base + "/?url=" + Http.encode(images.url("/images/rocket.jpg"));
        Http.Answer first = Http.get(query);
        Http.Answer again = Http.get(query);
        String metrics = new String(Http.get(base + "/metrics").body());

        assertThat(first.json().path("cached").asBoolean()).isFalse();
        assertThat(again.json().path("cached").asBoolean()).isTrue();
        assertThat(again.json().path("predictions")).isEqualTo(first.json().path("predictions"));
        assertThat(again.topLabel()).isEqualTo(SharedFiles.expected("rocket.jpg", "float").get(0).label());
        assertThat(first.serverTiming()).doesNotContain("cache");
        assertThat(again.serverTiming()).matches("network;dur=[0-9.]+, cpu;dur=[0-9.]+, inference;dur=0.0,"
                + " total;dur=[0-9.]+, cache;desc=hit");
        assertThat(metrics).contains("imgfn_result_cache_hits_total 1\n", "imgfn_result_cache_misses_total 1\n",
                "imgfn_result_cache_evictions_total 0\n", "imgfn_result_cache_results 1\n");
    }
}
