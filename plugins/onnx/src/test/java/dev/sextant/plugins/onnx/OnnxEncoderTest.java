package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in all-MiniLM-L6-v2 through onnx-encoder: vectors, batching, pooling and truncation. */
class OnnxEncoderTest {

    private static OnnxEncoder model;

    @BeforeAll
    static void load() throws Exception {
        model = MiniLm.load();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static float[][] pooled(OnnxEncoder encoder, String... texts) throws Exception {
        return encoder.embed(List.of(texts), RunLimits.DEFAULT).pooled();
    }

    @Test
    void theBuiltInModelGives384DimensionalUnitVectors() throws Exception {
        assertThat(model.dimension()).isEqualTo(384);
        Embeddings out = model.embed(List.of("The cat sits on the mat.", "Stock markets fell sharply today."),
                RunLimits.DEFAULT);
        assertThat(out.pooled()).hasNumberOfRows(2);
        for (float[] v : out.pooled()) {
            assertThat(v).hasSize(384);
            assertThat(MiniLm.norm(v)).isCloseTo(1.0, within(1e-5));
        }
        assertThat(out.tokens()).as("token vectors are off by default").isNull();
        assertThat(out.encodings()).hasSize(2);
        assertThat(out.encodings().get(0).tokens()).startsWith("[CLS]").endsWith("[SEP]");
    }

    @Test
    void closeSentencesScoreHigherThanUnrelatedOnes() throws Exception {
        float[][] v = pooled(model, "The cat sits on the mat.", "A cat is sitting on a rug.",
                "Stock markets fell sharply today.");
        double similar = MiniLm.cosine(v[0], v[1]);
        double unrelated = MiniLm.cosine(v[0], v[2]);
        assertThat(similar).isGreaterThan(unrelated + 0.3);
        assertThat(similar).isGreaterThan(0.5);
    }

    @Test
    void batchingIsInvisible() throws Exception {
        List<String> texts = MiniLm.textsOfManyLengths(40);
        try (OnnxEncoder eights = OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 256, 8, false))) {
            Embeddings batched = eights.embed(texts, RunLimits.DEFAULT);
            assertThat(batched.pooled()).hasNumberOfRows(40);
            for (int i = 0; i < texts.size(); i++) {
                Embeddings alone = eights.embed(List.of(texts.get(i)), RunLimits.DEFAULT);
                assertThat(batched.encodings().get(i)).as("encoding %d", i).isEqualTo(alone.encodings().get(0));
                assertThat(maxAbsDiff(batched.pooled()[i], alone.pooled()[0])).as("text %d", i).isLessThan(1e-6f);
            }
        }
    }

    @Test
    void aCallOfManyBatchesKeepsTheCallersOrder() throws Exception {
        List<String> texts = MiniLm.textsOfManyLengths(40);
        List<String> reversed = new ArrayList<>(texts);
        Collections.reverse(reversed);
        float[][] forward = model.embed(texts, RunLimits.DEFAULT).pooled();
        float[][] backward = model.embed(reversed, RunLimits.DEFAULT).pooled();
        for (int i = 0; i < texts.size(); i++) {
            assertThat(maxAbsDiff(forward[i], backward[texts.size() - 1 - i])).as("text %d", i).isLessThan(1e-6f);
        }
    }

    @Test
    void clsPoolingDiffersFromMeanPoolingAndNormalizeFalseKeepsTheLength() throws Exception {
        String text = "The cat sits on the mat.";
        float[] mean = pooled(model, text)[0];
        try (OnnxEncoder cls = OnnxEncoderFactory.loadBuiltIn(MiniLm.config("cls", true, 256, 32, false));
                OnnxEncoder raw = OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", false, 256, 32, true))) {
            float[] first = pooled(cls, text)[0];
            assertThat(MiniLm.norm(first)).isCloseTo(1.0, within(1e-5));
            assertThat(maxAbsDiff(first, mean)).isGreaterThan(0.01f);

            Embeddings out = raw.embed(List.of(text), RunLimits.DEFAULT);
            float[] unscaled = out.pooled()[0];
            assertThat(Math.abs(MiniLm.norm(unscaled) - 1.0)).isGreaterThan(0.01);
            // the same direction: normalising is the only difference
            assertThat(MiniLm.cosine(unscaled, mean)).isCloseTo(1.0, within(1e-5));
            // mean pooling is the average of the token vectors, CLS pooling is the first of them
            float[][] tokens = out.tokens()[0];
            float[] average = new float[unscaled.length];
            for (float[] token : tokens) {
                for (int d = 0; d < average.length; d++) {
                    average[d] += token[d] / tokens.length;
                }
            }
            assertThat(maxAbsDiff(average, unscaled)).isLessThan(1e-5f);
            float[] firstToken = tokens[0].clone();
            Pooling.normalize(firstToken);
            assertThat(maxAbsDiff(firstToken, first)).isLessThan(1e-5f);
        }
    }

    @Test
    void tokenEmbeddingsHaveOneUnpaddedVectorPerTokenOfEachEncoding() throws Exception {
        List<String> texts = List.of("Short.", "", "A somewhat longer sentence with quite a few more words in it.");
        try (OnnxEncoder withTokens = OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 256, 32, true))) {
            Embeddings out = withTokens.embed(texts, RunLimits.DEFAULT);
            assertThat(out.tokens()).hasNumberOfRows(3);
            for (int i = 0; i < texts.size(); i++) {
                Encoding encoding = out.encodings().get(i);
                assertThat(out.tokens()[i]).as("text %d", i).hasNumberOfRows(encoding.size());
                for (float[] token : out.tokens()[i]) {
                    assertThat(token).hasSize(384);
                }
            }
            // the vectors of a text do not depend on the longer text it was padded next to
            float[][] alone = withTokens.embed(List.of(texts.get(0)), RunLimits.DEFAULT).tokens()[0];
            for (int t = 0; t < alone.length; t++) {
                assertThat(maxAbsDiff(out.tokens()[0][t], alone[t])).isLessThan(1e-5f);
            }
        }
    }

    @Test
    void anEmptyTextIsJustItsSpecialTokensAndAnEmptyListGivesNothing() throws Exception {
        Embeddings out = model.embed(List.of(""), RunLimits.DEFAULT);
        assertThat(out.encodings().get(0).tokens()).containsExactly("[CLS]", "[SEP]");
        assertThat(MiniLm.norm(out.pooled()[0])).isCloseTo(1.0, within(1e-5));

        Embeddings none = model.embed(List.of(), RunLimits.DEFAULT);
        assertThat(none.pooled()).isEmpty();
        assertThat(none.encodings()).isEmpty();
        assertThat(none.tokens()).isNull();
    }

    @Test
    void aTextLongerThanMaxLengthIsTruncatedKeepingItsSpecialTokensAndCounted() throws Exception {
        String longText = String.join(" ", Collections.nCopies(40, "harbour lights")) + ".";
        try (OnnxEncoder sixteen = OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 16, 32, false))) {
            Embeddings out = sixteen.embed(List.of(longText, "Short."), RunLimits.DEFAULT);
            Encoding cut = out.encodings().get(0);
            assertThat(cut.size()).isEqualTo(16);
            assertThat(cut.tokens()[0]).isEqualTo("[CLS]");
            assertThat(cut.tokens()[15]).isEqualTo("[SEP]");
            Encoding full = sixteen.tokenizer().encode(longText, true);
            assertThat(full.size()).isGreaterThan(16);
            assertThat(Arrays.copyOf(cut.ids(), 15)).containsExactly(Arrays.copyOf(full.ids(), 15));
            // the closing [SEP] covers no text, at the end of the last kept token
            assertThat(cut.starts()[15]).isEqualTo(cut.ends()[14]).isEqualTo(cut.ends()[15]);
            assertThat(out.pooled()[0]).hasSize(384);
            assertThat(MiniLm.norm(out.pooled()[0])).isCloseTo(1.0, within(1e-5));
            assertThat(out.encodings().get(1).size()).isLessThan(16);
            assertThat(sixteen.truncatedTexts()).isEqualTo(1);

            // the vector of a truncated text is the vector of its kept tokens' text
            String kept = longText.substring(0, cut.ends()[14]);
            Embeddings keptOut = sixteen.embed(List.of(kept), RunLimits.DEFAULT);
            assertThat(keptOut.encodings().get(0)).isEqualTo(cut);
            assertThat(maxAbsDiff(keptOut.pooled()[0], out.pooled()[0])).isLessThan(1e-6f);
            assertThat(sixteen.truncatedTexts()).isEqualTo(1);
        }
    }

    @Test
    void inputsOverTheRunLimitsAreRefusedAndCancellationStopsACall() {
        String text = "one two three four five six seven eight nine ten";
        assertThatThrownBy(() -> model.embed(List.of("fine", text), new RunLimits(8, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("text 2").hasMessageContaining("limit of 8");
        List<String> nullText = new ArrayList<>();
        nullText.add(null);
        assertThatThrownBy(() -> model.embed(nullText, RunLimits.DEFAULT)).isInstanceOf(InputException.class)
                .hasMessageContaining("the text is null");
        assertThatThrownBy(() -> model.embed(List.of(text), RunLimits.DEFAULT.withCancellation(() -> true)))
                .isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> model.embed(List.of(text),
                RunLimits.DEFAULT.withDeadline(Instant.now().minusSeconds(1)))).isInstanceOf(CancelledException.class);
    }

    @Test
    void concurrentCallsGiveTheSameVectorsAsCallsInTurn() throws Exception {
        List<String> texts = MiniLm.textsOfManyLengths(12);
        float[][] expected = model.embed(texts, RunLimits.DEFAULT).pooled();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> model.embed(texts, RunLimits.DEFAULT).pooled()));
            }
            for (Future<float[][]> future : futures) {
                float[][] got = future.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(maxAbsDiff(got[i], expected[i])).isLessThan(1e-6f);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
