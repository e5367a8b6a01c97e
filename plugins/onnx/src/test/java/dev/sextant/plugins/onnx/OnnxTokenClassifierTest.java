package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.CancelledException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.TokenLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** onnx-token-classifier over a tiny graph whose logits are known, with story-lm's tokenizer. */
class OnnxTokenClassifierTest {

    /** Three labels, so that the softmax is more than a sigmoid. */
    private static final TinyTokenClassifierGraph GRAPH = graph(3);

    @TempDir
    static Path dir;

    private static Path folder;
    private static OnnxTokenClassifier model;

    private static TinyTokenClassifierGraph graph(int labels) {
        TinyTokenClassifierGraph graph = new TinyTokenClassifierGraph();
        graph.labels = labels;
        return graph;
    }

    @BeforeAll
    static void load() throws Exception {
        folder = GRAPH.folder(dir.resolve("tagger"));
        model = load(folder, null, 16, 4096);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static OnnxTokenClassifier load(Path folder, Integer maxLength, int maxBatchSize, int maxBatchTokens)
            throws Exception {
        return OnnxTokenClassifierFactory.load(folder,
                new OnnxTokenClassifierConfig(folder.toString(), maxLength, maxBatchSize, maxBatchTokens, 1, 1));
    }

    /** {@code n} texts of 1 to about 60 words in no order of length (story-lm's tokenizer reads any text). */
    private static List<String> texts(int n) {
        return MiniLm.textsOfManyLengths(n);
    }

    @Test
    void probabilitiesAreTheSoftmaxOfTheGraphsLogitsForEveryTokenAndSumToOne() throws Exception {
        List<String> texts = List.of("mia lives in oslo .", "the quick brown fox jumps over a lazy dog", "a");
        List<TokenLabels> out = model.classify(texts, RunLimits.DEFAULT);
        float[][][] logits = model.logits(texts, RunLimits.DEFAULT);
        assertThat(out).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            TokenLabels labels = out.get(i);
            Encoding encoding = labels.encoding();
            assertThat(encoding).isEqualTo(model.tokenizer().encode(texts.get(i), true));
            assertThat(labels.probabilities()).hasNumberOfRows(encoding.size());
            for (int t = 0; t < encoding.size(); t++) {
                float[] row = labels.probabilities()[t];
                assertThat(row).hasSize(3);
                assertThat(logits[i][t]).as("logits of token %d of text %d", t, i)
                        .containsExactly(GRAPH.logits(encoding.ids()[t], t));
                assertThat(maxAbsDiff(row, GRAPH.probabilities(encoding.ids()[t], t)))
                        .as("token %d of text %d", t, i).isLessThan(1e-6f);
                double sum = 0;
                for (float p : row) {
                    assertThat(p).isBetween(0f, 1f);
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-6));
            }
        }
    }

    @Test
    void labelsAndMaxLengthComeFromConfigJson() {
        assertThat(model.labels()).containsExactly("label0", "label1", "label2");
        assertThat(model.maxLength()).isEqualTo(512);
        assertThat(model.info().maxPositions()).isEqualTo(512);
        assertThat(model.info().padTokenId()).isZero();
    }

    @Test
    void batchedEqualsOneByOneAndKeepsTheCallersOrder() throws Exception {
        List<String> texts = texts(40);
        try (OnnxTokenClassifier eights = load(folder, null, 8, 4096);
                OnnxTokenClassifier small = load(folder, null, 16, 24)) {
            List<TokenLabels> batched = eights.classify(texts, RunLimits.DEFAULT);
            // a position budget smaller than many texts: those run alone, the others in small groups
            List<TokenLabels> budgeted = small.classify(texts, RunLimits.DEFAULT);
            assertThat(batched).hasSize(40);
            for (int i = 0; i < texts.size(); i++) {
                TokenLabels alone = eights.classify(List.of(texts.get(i)), RunLimits.DEFAULT).get(0);
                assertSame(batched.get(i), alone, "text " + i);
                assertSame(budgeted.get(i), alone, "text " + i + " with max-batch-tokens 24");
            }
        }
        List<String> reversed = new ArrayList<>(texts);
        Collections.reverse(reversed);
        List<TokenLabels> forward = model.classify(texts, RunLimits.DEFAULT);
        List<TokenLabels> backward = model.classify(reversed, RunLimits.DEFAULT);
        for (int i = 0; i < texts.size(); i++) {
            assertSame(forward.get(i), backward.get(texts.size() - 1 - i), "reversed text " + i);
        }
    }

    private static void assertSame(TokenLabels got, TokenLabels expected, String what) {
        assertThat(got.encoding()).as(what).isEqualTo(expected.encoding());
        assertThat(got.probabilities()).as(what).hasNumberOfRows(expected.probabilities().length);
        for (int t = 0; t < expected.probabilities().length; t++) {
            assertThat(maxAbsDiff(got.probabilities()[t], expected.probabilities()[t])).as("%s token %d", what, t)
                    .isLessThan(1e-6f);
        }
    }

    @Test
    void aTextOverMaxLengthIsRefusedNamingItsIndexTokenCountAndTheLimit() throws Exception {
        String longText = "mia lives in oslo and likes tea and rain and maps .";
        try (OnnxTokenClassifier eight = load(folder, 8, 16, 4096)) {
            int tokens = eight.tokenizer().encode(longText, true).size();
            assertThat(tokens).isGreaterThan(8);
            assertThat(eight.maxLength()).isEqualTo(8);
            assertThatThrownBy(() -> eight.classify(List.of("fine", "also fine", longText), RunLimits.DEFAULT))
                    .isInstanceOf(InputException.class).hasMessageContaining("text at index 2")
                    .hasMessageContaining("has " + tokens + " tokens").hasMessageContaining("max-length of 8")
                    .hasMessageContaining("split it");
            // exactly max-length tokens is fine
            String eightTokens = longText;
            while (eight.tokenizer().encode(eightTokens, true).size() > 8) {
                eightTokens = eightTokens.substring(0, eightTokens.lastIndexOf(' '));
            }
            assertThat(eight.classify(List.of(eightTokens), RunLimits.DEFAULT).get(0).probabilities())
                    .hasNumberOfRows(eight.tokenizer().encode(eightTokens, true).size());
        }
    }

    @Test
    void inputsOverTheRunLimitsAreRefusedAndCancellationStopsACall() {
        String text = "one two three four five six seven eight nine ten";
        assertThatThrownBy(() -> model.classify(List.of("fine", text), new RunLimits(8, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("text at index 1")
                .hasMessageContaining("limit of 8");
        List<String> nullText = new ArrayList<>();
        nullText.add("fine");
        nullText.add(null);
        assertThatThrownBy(() -> model.classify(nullText, RunLimits.DEFAULT)).isInstanceOf(InputException.class)
                .hasMessageContaining("text at index 1 is null");
        assertThatThrownBy(() -> model.classify(List.of(text), RunLimits.DEFAULT.withCancellation(() -> true)))
                .isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> model.classify(List.of(text),
                RunLimits.DEFAULT.withDeadline(Instant.now().minusSeconds(1)))).isInstanceOf(CancelledException.class);
    }

    @Test
    void anEmptyTextGetsAnEmptyResultAndAnEmptyListGivesNothing() throws Exception {
        // story-lm's tokenizer adds no special tokens: an empty text has no token to classify
        List<TokenLabels> out = model.classify(List.of("", "mia"), RunLimits.DEFAULT);
        assertThat(out.get(0).encoding().size()).isZero();
        assertThat(out.get(0).probabilities()).isEmpty();
        assertThat(out.get(1).probabilities()).hasNumberOfRows(out.get(1).encoding().size()).isNotEmpty();
        assertThat(model.classify(List.of(), RunLimits.DEFAULT)).isEmpty();
    }

    @Test
    void specialTokensHaveRowsToo(@TempDir Path bert) throws Exception {
        // all-MiniLM-L6-v2's BERT tokenizer puts [CLS] and [SEP] around every text
        TinyTokenClassifierGraph graph = graph(2);
        graph.vocab = 30522;
        Path folder = graph.folder(bert);
        Files.write(folder.resolve("tokenizer.json"), OnnxEncoderFactory.resource(OnnxEncoderFactory.BUILT_IN_TOKENIZER));
        try (OnnxTokenClassifier classifier = load(folder, null, 16, 4096)) {
            List<TokenLabels> out = classifier.classify(List.of("Tokenization works.", ""), RunLimits.DEFAULT);
            Encoding encoding = out.get(0).encoding();
            assertThat(encoding.tokens()).startsWith("[CLS]").endsWith("[SEP]");
            assertThat(encoding.wordIds()[0]).isEqualTo(-1);
            assertThat(encoding.wordIds()[encoding.size() - 1]).isEqualTo(-1);
            for (int t = 0; t < encoding.size(); t++) {
                assertThat(maxAbsDiff(out.get(0).probabilities()[t], graph.probabilities(encoding.ids()[t], t)))
                        .isLessThan(1e-6f);
            }
            assertThat(out.get(1).encoding().tokens()).containsExactly("[CLS]", "[SEP]");
            assertThat(out.get(1).probabilities()).hasNumberOfRows(2);
        }
    }

    @Test
    void tokenTypeIdsAreFedZeros(@TempDir Path types) throws Exception {
        TinyTokenClassifierGraph graph = graph(2);
        graph.tokenTypeIds = true;
        try (OnnxTokenClassifier classifier = load(graph.folder(types), null, 16, 4096)) {
            float[][][] logits = classifier.logits(List.of("mia lives in oslo .", "a"), RunLimits.DEFAULT);
            int[] ids = classifier.tokenizer().encode("mia lives in oslo .", true).ids();
            for (int t = 0; t < ids.length; t++) {
                assertThat(logits[0][t]).containsExactly(graph.logits(ids[t], t));
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSameProbabilitiesAsCallsInTurn() throws Exception {
        List<String> texts = texts(12);
        List<TokenLabels> expected = model.classify(texts, RunLimits.DEFAULT);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<TokenLabels>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> model.classify(texts, RunLimits.DEFAULT)));
            }
            for (Future<List<TokenLabels>> future : futures) {
                List<TokenLabels> got = future.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertSame(got.get(i), expected.get(i), "text " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
