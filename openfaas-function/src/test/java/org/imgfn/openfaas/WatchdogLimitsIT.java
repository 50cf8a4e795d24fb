package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Overload and shutdown, with slow image downloads keeping requests in flight. */
@Tag(SharedFiles.SHARED_TAG)
class WatchdogLimitsIT {
    static LoopbackServer images;

    @BeforeAll
    static void start() {
        images = new LoopbackServer();
        images.route("/slow.png", LoopbackServer.delayed(Duration.ofMillis(2000),
                LoopbackServer.body("image/png", SharedFiles.imageBytes("horse.png"))));
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    private static String slowImage() {
        return "/?url=" + Http.encode(images.url("/slow.png"));
    }

    @Test
    void refusesABurstBeyondTheInflightLimitWithRetryAfterAndNothingElse() throws Exception {
        try (FunctionProcess function = FunctionProcess.behindWatchdog("overload", Map.of("SERVER_MAX_INFLIGHT", "4"))) {
            ExecutorService clients = Executors.newFixedThreadPool(20);
            try {
                List<Future<Http.Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    answers.add(clients.submit(() -> Http.get(function.url(slowImage()))));
                }
                int ok = 0;
                int overloaded = 0;
                for (Future<Http.Answer> future : answers) {
                    Http.Answer answer = future.get();
                    if (answer.status() == 200) {
                        assertThat(answer.topLabel()).isEqualTo(SharedFiles.expected("horse.png", "float").get(0).label());
                        ok++;
                    } else {
                        assertThat(answer.status()).isEqualTo(503);
                        assertThat(answer.errorCode()).isEqualTo("OVERLOADED");
                        assertThat(answer.retryAfter()).isEqualTo("1");
                        overloaded++;
                    }
                }
                assertThat(ok).isGreaterThanOrEqualTo(4);
                assertThat(overloaded).isPositive();
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /** Sends a slow request, SIGTERMs the process while it is in flight, and checks that it still answers. */
    private static void assertInFlightRequestFinishesAfterSigterm(FunctionProcess function) throws Exception {
        CompletableFuture<Http.Answer> inFlight = CompletableFuture.supplyAsync(() -> Http.get(function.url(slowImage())));
        FunctionProcess.sleep(700);

        function.process().destroy();

        Http.Answer answer = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.topLabel()).isEqualTo(SharedFiles.expected("horse.png", "float").get(0).label());
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExitsZero() throws Exception {
        try (FunctionProcess function = FunctionProcess.alone("sigterm", Map.of())) {
            assertInFlightRequestFinishesAfterSigterm(function);

            assertThat(function.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(function.process().exitValue()).isZero();
            assertThat(function.log()).contains("Shutting down", "Stopped");
        }
    }

    @Test
    void sigtermToTheWatchdogDrainsTheRequestInFlight() throws Exception {
        try (FunctionProcess function = FunctionProcess.behindWatchdog("watchdog-sigterm", Map.of())) {
            assertInFlightRequestFinishesAfterSigterm(function);
        }
    }
}
