package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.head.Head;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The runner's own logic, isolated with stand-in encoder and heads: one encoder pass for the whole
 * batch whatever the number of heads, predictions in text and head order, refusals.
 */
class MultiHeadRunnerTest {

    /** Counts passes and gives each text the vector {length of the text}. */
    static final class CountingEncoder implements Encoder {
        final AtomicInteger passes = new AtomicInteger();

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public Embeddings embed(List<String> texts, RunLimits limits) {
            passes.incrementAndGet();
            float[][] pooled = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                pooled[i] = new float[] {texts.get(i).length()};
            }
            return new Embeddings(pooled, null, List.of());
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("counting", "test", 0, 0, Set.of(), -1, -1, Map.of());
        }

        @Override
        public Tokenizer tokenizer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** Predicts "long" or "short" by the vector, and records the vectors it saw. */
    static Head threshold(String encoder, float cut, List<float[][]> seen) {
        return new Head() {
            @Override
            public String encoder() {
                return encoder;
            }

            @Override
            public HeadTask task() {
                return HeadTask.CLASSIFICATION;
            }

            @Override
            public List<Prediction> predict(Embeddings embeddings) {
                seen.add(embeddings.pooled());
                List<Prediction> out = new ArrayList<>();
                for (float[] v : embeddings.pooled()) {
                    String label = v[0] > cut ? "long" : "short";
                    out.add(Prediction.label(label, 1.0, Map.of(label, 1.0)));
                }
                return out;
            }
        };
    }

    @Test
    void eightHeadsShareOneEncoderPassPerBatch() throws Exception {
        CountingEncoder encoder = new CountingEncoder();
        List<float[][]> seen = new ArrayList<>();
        Map<String, Head> heads = new LinkedHashMap<>();
        for (int h = 0; h < 8; h++) {
            heads.put("h" + h, threshold("enc", h, seen));
        }
        MultiHeadRunner runner = new MultiHeadRunner("enc", encoder, heads);

        MultiHeadRunner.Result result = runner.predict(List.of("abc", "a", "abcdefghij"), RunLimits.DEFAULT);

        assertThat(encoder.passes).hasValue(1);
        assertThat(seen).hasSize(8).allSatisfy(pooled -> assertThat(pooled).isSameAs(seen.get(0)));
        assertThat(result.rows()).hasSize(3);
        assertThat(result.rows().get(0).keySet()).containsExactly("h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7");
        assertThat(result.rows().get(0).get("h2").label()).isEqualTo("long");
        assertThat(result.rows().get(0).get("h3").label()).isEqualTo("short");
        assertThat(result.rows().get(1).get("h0").label()).isEqualTo("long");
        assertThat(result.rows().get(1).get("h1").label()).isEqualTo("short");
        assertThat(result.rows().get(2).get("h7").label()).isEqualTo("long");
        assertThat(result.headMillis().keySet()).containsExactly("h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7");
    }

    @Test
    void aHeadTrainedOnAnotherEncoderIsRefusedWhenTheStepIsMade() {
        Map<String, Head> heads = Map.of("topic", threshold("other-encoder", 1, new ArrayList<>()));
        assertThatThrownBy(() -> new MultiHeadRunner("minilm", new CountingEncoder(), heads))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("head 'topic' reads the encoder 'other-encoder', not 'minilm'");
    }

    @Test
    void aHeadThatLosesRowsIsAnError() throws Exception {
        Head broken = new Head() {
            @Override
            public String encoder() {
                return "enc";
            }

            @Override
            public HeadTask task() {
                return HeadTask.REGRESSION;
            }

            @Override
            public List<Prediction> predict(Embeddings embeddings) {
                return List.of(Prediction.value(1));
            }
        };
        MultiHeadRunner runner = new MultiHeadRunner("enc", new CountingEncoder(), Map.of("broken", broken));
        assertThatThrownBy(() -> runner.predict(List.of("a", "b"), RunLimits.DEFAULT))
                .hasMessageContaining("head 'broken' returned 1 predictions for 2 texts");
    }

    @Test
    void aCancelledCallStopsBetweenHeads() throws Exception {
        MultiHeadRunner runner = new MultiHeadRunner("enc", new CountingEncoder(),
                Map.of("a", threshold("enc", 1, new ArrayList<>())));
        assertThatThrownBy(() -> runner.predict(List.of("x"), RunLimits.DEFAULT.withCancellation(() -> true)))
                .isInstanceOf(CancelledException.class);
    }
}
