package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.model.Embeddings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyTrainingTest {

    @TempDir
    Path dir;

    @Test
    void concurrentFirstPredictionsTrainOnce() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        for (ServingRuntime runtime : ServingRuntime.values()) {
            TribuoHead head = fixtures.create("topic-" + runtime.yamlName(),
                    HeadConfig.classification(TrainerKind.LOGISTIC).runtime(runtime).epochs(5 + runtime.ordinal()),
                    encoder);
            assertThat(head.isTrained()).isFalse();
            Embeddings queries = Fixtures.embeddings(encoder, List.of("payment charged twice on my card, invoice wrong", "courier lost the parcel delivery"));
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<Prediction>>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return head.predict(queries);
                    }));
                }
                start.countDown();
                List<Prediction> first = results.get(0).get();
                for (Future<List<Prediction>> result : results) {
                    assertThat(result.get()).isEqualTo(first);
                }
                assertThat(first).extracting(Prediction::label).containsExactly("billing", "shipping");
            } finally {
                pool.shutdown();
            }
            assertThat(head.trainings()).as(runtime.yamlName()).isEqualTo(1);
            assertThat(head.isTrained()).isTrue();
            head.close();
        }
        assertThat(encoder.texts.get()).as("the data was embedded once for both heads").isEqualTo(150);
    }
}
