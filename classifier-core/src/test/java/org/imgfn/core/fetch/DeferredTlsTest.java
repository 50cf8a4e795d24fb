package org.imgfn.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the background build happens; that downloads use it is TlsDownloadTest's. */
class DeferredTlsTest {

    private static boolean builtWithin(DeferredTls tls, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!tls.isBuilt() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return tls.isBuilt();
    }

    @Test
    void isBuiltOnceTheGracePeriodIsOver() throws InterruptedException {
        DeferredTls tls = new DeferredTls();

        tls.prepare(Duration.ofMillis(50));

        assertThat(builtWithin(tls, Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void waitsOutItsGracePeriodUnlessARequestEnds() throws InterruptedException {
        DeferredTls waiting = new DeferredTls();
        DeferredTls cutShort = new DeferredTls();

        waiting.prepare(Duration.ofHours(1));
        cutShort.prepare(Duration.ofHours(1));
        cutShort.prepareNow();

        assertThat(builtWithin(cutShort, Duration.ofSeconds(30))).isTrue();
        assertThat(waiting.isBuilt()).isFalse();
    }

    @Test
    void aRequestThatEndedBeforeThePreparationLeavesNoGracePeriod() throws InterruptedException {
        DeferredTls tls = new DeferredTls();

        tls.prepareNow();
        tls.prepare(Duration.ofHours(1));

        assertThat(builtWithin(tls, Duration.ofSeconds(30))).isTrue();
    }
}
