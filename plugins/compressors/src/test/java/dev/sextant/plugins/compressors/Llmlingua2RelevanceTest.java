package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.TestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Question-aware {@code llmlingua2}: sentences ranked against the question decide what a budget drops first. */
class Llmlingua2RelevanceTest {

    private static final RunLimits LARGE = new RunLimits(1_000_000, null, null);
    private static final String CONTEXT = "mia owns a horse . tom has a red key . ana lives in rome .";
    private static final String QUESTION = "what colour is the key of tom ?";

    /** Every word kept with the same probability, so only relevance (and text order) can rank them. */
    private static final Llmlingua2FakeTagger FLAT = new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64,
            (word, piece, index) -> 0.9);

    private static Llmlingua2Config config(String relevance, String encoder, double weight) {
        return new Llmlingua2Config("tagger", "keep", "mean", List.of("\n"), true, true, "none", relevance, encoder,
                weight);
    }

    private static Compressor create(Llmlingua2Config config, Object encoder) throws Exception {
        TestContext context = new TestContext("compressor", Path.of("")).with("tagger", FLAT);
        if (encoder != null) {
            context = context.with("vectors", encoder);
        }
        return new Llmlingua2Factory().create(config, context);
    }

    private static Compression compress(Compressor compressor, String question, Budget budget) throws Exception {
        return compressor.compress(new CompressionRequest(CONTEXT, question, budget, LARGE));
    }

    @Test
    void bm25RanksSentencesSharingTheQuestionsRarerTerms() {
        double[] scores = Llmlingua2Relevance.bm25(List.of("tom has a red key .", "mia owns a horse .",
                "tom owns a horse ."), QUESTION);
        assertThat(scores[0]).isGreaterThan(scores[2]);
        assertThat(scores[2]).isGreaterThan(scores[1]);
        assertThat(scores[1]).isZero();
        assertThat(Llmlingua2Relevance.bm25(List.of("a b", "c d"), null)).containsExactly(0, 0);
    }

    @Test
    void aRateBudgetKeepsTheSentenceTheQuestionIsAbout() throws Exception {
        Compression plain = compress(create(config("none", null, 1), null), QUESTION, Budget.rate(0.4));
        Compression aware = compress(create(config("bm25", null, 1), null), QUESTION, Budget.rate(0.4));

        // Equal probabilities: LLMLingua-2 alone keeps text order, so the first sentence survives.
        assertThat(plain.text()).startsWith("mia owns a horse").doesNotContain("key");
        assertThat(plain.info()).containsEntry("relevance", "none");
        assertThat(aware.text()).contains("tom has a red key .").doesNotContain("horse");
        assertThat(aware.info()).containsEntry("relevance", "bm25").containsKey("relevance_ms");
        assertThat(aware.compressedTokens()).isEqualTo(plain.compressedTokens());
        // The reported keep scores stay the classifier's own probabilities.
        assertThat(aware.words()).allSatisfy(w -> assertThat(w.keepScore()).isEqualTo(0.9f));
    }

    @Test
    void anEncoderRanksByCosineSimilarity() throws Exception {
        BagOfWords encoder = new BagOfWords();
        Compression aware = compress(create(config("encoder", "vectors", 1), encoder), "where does ana live ?",
                Budget.rate(0.4));

        assertThat(aware.text()).contains("ana lives in rome .").doesNotContain("key");
        assertThat(aware.info()).containsEntry("relevance", "encoder");
        // One batched call: the question, then the three sentences.
        assertThat(encoder.calls).containsExactly(List.of("where does ana live ?", "mia owns a horse .",
                "tom has a red key .", "ana lives in rome ."));
    }

    @Test
    void withoutAQuestionOrWithWeightZeroTheContextAloneDecides() throws Exception {
        Compression plain = compress(create(config("none", null, 1), null), QUESTION, Budget.rate(0.4));
        Compression noQuestion = compress(create(config("bm25", null, 1), null), null, Budget.rate(0.4));
        Compression weightZero = compress(create(config("bm25", null, 0), null), QUESTION, Budget.rate(0.4));

        assertThat(noQuestion.text()).isEqualTo(plain.text());
        assertThat(noQuestion.info().get("warnings").toString()).contains("had no question to rank against");
        assertThat(weightZero.text()).isEqualTo(plain.text());
        assertThat(weightZero.info()).containsEntry("relevance", "none");
    }

    @Test
    void aThresholdStillReadsTheClassifierAlone() throws Exception {
        Compression aware = compress(create(config("bm25", null, 1), null), QUESTION, Budget.threshold(0.5));
        assertThat(aware.text()).isEqualTo(CONTEXT);
    }

    @Test
    void badRelevanceSettingsNameTheirKey() {
        assertThatThrownBy(() -> create(config("tfidf", null, 1), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("relevance"))
                .hasMessageContaining("choose one of [none, bm25, encoder]");
        assertThatThrownBy(() -> create(config("encoder", null, 1), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("relevance-encoder"))
                .hasMessageContaining("relevance-encoder: minilm");
        assertThatThrownBy(() -> create(config("encoder", "tagger", 1), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("relevance-encoder"));
        assertThatThrownBy(() -> create(config("none", "vectors", 1), new BagOfWords()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("relevance-encoder"))
                .hasMessageContaining("only read with relevance: encoder");
        assertThatThrownBy(() -> create(config("bm25", null, -1), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("relevance-weight"));
        assertThatThrownBy(() -> create(config("bm25", null, Double.NaN), null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("relevance-weight"));
    }

    @Test
    void aRateMissIsJudgedAgainstTheExactShare() {
        // Goal 38.5 tokens: 39 (half a token over) beats 37 (one and a half under).
        assertThat(Llmlingua2Compressor.closer(39, 37, 38.5, false)).isTrue();
        assertThat(Llmlingua2Compressor.closer(37, 39, 38.5, false)).isFalse();
        // On a tie the smaller result wins; with a ceiling nothing over it does.
        assertThat(Llmlingua2Compressor.closer(37, 39, 38, false)).isTrue();
        assertThat(Llmlingua2Compressor.closer(39, 37, 38, true)).isFalse();
        assertThat(Llmlingua2Compressor.closer(39, -1, 38, true)).isFalse();
        assertThat(Llmlingua2Compressor.closer(30, -1, 38, true)).isTrue();
    }

    /** A test encoder: one dimension per distinct lower-cased word, counts as values. */
    private static final class BagOfWords implements Encoder {
        final List<List<String>> calls = new ArrayList<>();
        private final List<String> vocabulary = new ArrayList<>();

        @Override
        public Embeddings embed(List<String> texts, RunLimits limits) {
            calls.add(List.copyOf(texts));
            for (String text : texts) {
                for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
                    if (!vocabulary.contains(w)) {
                        vocabulary.add(w);
                    }
                }
            }
            float[][] pooled = new float[texts.size()][dimension()];
            for (int t = 0; t < texts.size(); t++) {
                for (String w : texts.get(t).toLowerCase(Locale.ROOT).split("\\W+")) {
                    pooled[t][vocabulary.indexOf(w)]++;
                }
            }
            return new Embeddings(pooled, null, List.of());
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("bag-of-words", "test", 0, 512, Set.of(), -1, -1, Map.of());
        }

        @Override
        public Tokenizer tokenizer() {
            return FLAT.tokenizer();
        }

        @Override
        public void close() {
        }
    }
}
