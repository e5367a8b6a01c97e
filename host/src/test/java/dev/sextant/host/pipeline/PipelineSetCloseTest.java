package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.spi.RunLimits;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a pipeline set (as a reload does) while a run is in flight lets that run finish on live
 * components, and refuses runs that start afterwards.
 */
class PipelineSetCloseTest {

    @Test
    void closeWaitsForTheRunInFlightAndRefusesLaterRuns() throws Exception {
        try (SextantEngine engine = SextantEngine.start(TestHome.pluginsDir(), Map.of())) {
            PipelineSet set = engine.load(TestHome.defaultPipelines());
            PipelineResult before = set.run("story", "mia lives in oslo . mia has a", null, RunLimits.DEFAULT);

            CountDownLatch firstToken = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            CompletableFuture<PipelineResult> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return set.run("story", "mia lives in oslo . mia has a", (row, id, text) -> {
                        firstToken.countDown();
                        try {
                            closed.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, RunLimits.DEFAULT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(firstToken.await(30, TimeUnit.SECONDS)).isTrue();
            set.close();
            closed.countDown();

            assertThat(inFlight.get(60, TimeUnit.SECONDS).output()).isEqualTo(before.output());
            assertThatThrownBy(() -> set.run("story", "mia lives in oslo .", null, RunLimits.DEFAULT))
                    .isInstanceOf(PipelineUnavailableException.class)
                    .hasMessageContaining("run it again");
        }
    }
}
