package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.floats;
import static dev.sextant.plugins.onnx.StoryLm.ints;
import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.TokenLabels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.model.TokenRange;
import dev.sextant.spi.model.TokenClassifier;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.InputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * story-tagger through onnx-token-classifier reproduces what torch computed for the forge's
 * reference.json: token ids, word ids, logits and each word's keep probability (the mean of its
 * tokens' softmax column {@code keep}, the rule of its MODEL_CARD.md).
 */
class StoryTaggerReferenceTest {

    private static final float TOLERANCE = 1e-4f;

    private static OnnxTokenClassifier model;
    private static JsonObject reference;
    private static List<JsonObject> entries;

    static Path folder() {
        return StoryLm.root().resolve("models/story-tagger");
    }

    @BeforeAll
    static void load() throws Exception {
        model = OnnxTokenClassifierFactory.load(folder(), OnnxTokenClassifierConfig.defaults(folder().toString()));
        reference = JsonParser.parseString(Files.readString(folder().resolve("reference.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        entries = new ArrayList<>();
        for (JsonElement e : reference.getAsJsonArray("entries")) {
            entries.add(e.getAsJsonObject());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<String> texts() {
        return entries.stream().map(e -> e.get("text").getAsString()).toList();
    }

    @Test
    void labelsAndLimitsAreTheExportsOwn() {
        JsonObject id2label = reference.getAsJsonObject("id2label");
        assertThat(model.labels()).hasSize(id2label.size());
        for (int i = 0; i < id2label.size(); i++) {
            assertThat(model.labels().get(i)).isEqualTo(id2label.get(Integer.toString(i)).getAsString());
        }
        assertThat(model.info().padTokenId()).isEqualTo(reference.get("pad_token_id").getAsInt());
        assertThat(model.info().vocabSize()).isEqualTo(reference.get("vocab_size").getAsInt());
        assertThat(model.maxLength()).isEqualTo(model.info().maxPositions()).isPositive();
    }

    @Test
    void tokenIdsAndWordIdsEqualTheReference() {
        for (JsonObject entry : entries) {
            String text = entry.get("text").getAsString();
            Encoding encoding = model.tokenizer().encode(text, true);
            assertThat(encoding.ids()).as("ids of %s", text).containsExactly(ints(entry.getAsJsonArray("input_ids")));
            assertThat(encoding.wordIds()).as("word ids of %s", text)
                    .containsExactly(ints(entry.getAsJsonArray("word_ids")));
            assertThat(encoding.wordCount()).isEqualTo(entry.getAsJsonArray("words").size());
        }
    }

    @Test
    void logitsEqualTorchForEveryTextAloneAndInOneBatch() throws Exception {
        float worst = 0;
        float[][][] together = model.logits(texts(), RunLimits.DEFAULT);
        for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.get(i);
            JsonArray expected = entry.getAsJsonArray("logits");
            float[][] alone = model.logits(List.of(entry.get("text").getAsString()), RunLimits.DEFAULT)[0];
            assertThat(alone).hasNumberOfRows(expected.size());
            for (int t = 0; t < alone.length; t++) {
                float[] want = floats(expected.get(t).getAsJsonArray());
                float diff = Math.max(maxAbsDiff(alone[t], want), maxAbsDiff(together[i][t], want));
                assertThat(diff).as("logits of token %d of entry %d", t, i).isLessThan(TOLERANCE);
                worst = Math.max(worst, diff);
            }
        }
        JsonObject batched = reference.getAsJsonObject("batched");
        int[] sources = ints(batched.getAsJsonArray("source_entries"));
        JsonArray batchedLogits = batched.getAsJsonArray("logits");
        for (int r = 0; r < sources.length; r++) {
            JsonArray rows = batchedLogits.get(r).getAsJsonArray();
            assertThat(together[sources[r]]).hasNumberOfRows(rows.size());
            for (int t = 0; t < rows.size(); t++) {
                float diff = maxAbsDiff(together[sources[r]][t], floats(rows.get(t).getAsJsonArray()));
                assertThat(diff).as("batched row %d token %d", r, t).isLessThan(TOLERANCE);
                worst = Math.max(worst, diff);
            }
        }
        System.out.printf("story-tagger vs torch reference.json: largest logit difference %.2e over %d texts%n",
                worst, entries.size());
    }

    @Test
    void tokenRangesOfOneEncodingAreRunAsTheyStandWithTheModelsSpecialTokens() throws Exception {
        String text = String.join(" ", texts());
        Encoding encoding = model.tokenizer().encode(text, false);
        // A range per joined text: from its first token to the next text's.
        List<TokenRange> ranges = new ArrayList<>();
        int at = 0;
        int from = 0;
        for (int i = 0; i < texts().size(); i++) {
            at += texts().get(i).length() + 1;
            int to = from;
            while (to < encoding.size() && encoding.starts()[to] < at - 1) {
                to++;
            }
            ranges.add(new TokenRange(from, to));
            from = to;
        }
        // Where a text's own tokens start among those with special tokens (0: this tokenizer adds none).
        Encoding probe = model.tokenizer().encode("a", true);
        int p = 0;
        while (probe.ids()[p] != model.tokenizer().encode("a", false).ids()[0]) {
            p++;
        }
        int specials = probe.size() - model.tokenizer().encode("a", false).size();

        List<TokenLabels> byRange = model.classify(text, encoding, ranges, RunLimits.DEFAULT);
        List<TokenLabels> viaText = new TokenClassifier() {
            @Override
            public List<String> labels() {
                return model.labels();
            }

            @Override
            public int maxLength() {
                return model.maxLength();
            }

            @Override
            public List<TokenLabels> classify(List<String> texts, RunLimits limits) throws SextantException {
                return model.classify(texts, limits);
            }

            @Override
            public ModelInfo info() {
                return model.info();
            }

            @Override
            public Tokenizer tokenizer() {
                return model.tokenizer();
            }

            @Override
            public void close() {
            }
        }.classify(text, encoding, ranges, RunLimits.DEFAULT); // the SPI's default: each range's text encoded again

        assertThat(byRange).hasSize(ranges.size());
        int same = 0;
        for (int i = 0; i < ranges.size(); i++) {
            TokenRange range = ranges.get(i);
            Encoding got = byRange.get(i).encoding();
            int n = range.size();
            assertThat(got.size()).isEqualTo(n + specials);
            assertThat(java.util.Arrays.copyOfRange(got.ids(), p, p + n))
                    .containsExactly(java.util.Arrays.copyOfRange(encoding.ids(), range.from(), range.to()));
            assertThat(java.util.Arrays.copyOfRange(got.starts(), p, p + n))
                    .containsExactly(java.util.Arrays.copyOfRange(encoding.starts(), range.from(), range.to()));
            Encoding reEncoded = viaText.get(i).encoding();
            if (java.util.Arrays.equals(reEncoded.ids(), got.ids())) {
                same++;
                assertThat(reEncoded.starts()).containsExactly(got.starts());
                for (int t = 0; t < got.size(); t++) {
                    assertThat(maxAbsDiff(byRange.get(i).probabilities()[t], viaText.get(i).probabilities()[t]))
                            .isLessThan(1e-6f);
                }
            }
        }
        // Most ranges encode alone as in context; the others differ at their first word, which is why
        // ranges are run as they stand.
        assertThat(same).isGreaterThan(ranges.size() / 2);
    }

    @Test
    void aTokenRangeLongerThanTheWindowIsRefusedBeforeAnythingRuns() {
        String text = String.join(" ", Collections.nCopies(400, "mia lives in oslo ."));
        Encoding encoding = model.tokenizer().encode(text, false);
        assertThat(encoding.size()).isGreaterThan(model.maxLength());
        assertThatThrownBy(() -> model.classify(text, encoding, List.of(new TokenRange(0, 10),
                new TokenRange(10, encoding.size())), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("token range 1 [10, " + encoding.size() + ")")
                .hasMessageContaining("more than the max-length of " + model.maxLength());
    }

    @Test
    void wordKeepProbabilitiesAndPredictionsEqualTorch() throws Exception {
        int keep = model.labels().indexOf("keep");
        assertThat(keep).isNotNegative();
        double threshold = reference.get("keep_threshold").getAsDouble();
        List<TokenLabels> out = model.classify(texts(), RunLimits.DEFAULT);
        for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.get(i);
            TokenLabels labels = out.get(i);
            float[] expected = floats(entry.getAsJsonArray("word_keep_probability"));
            JsonArray predictions = entry.getAsJsonArray("word_keep");
            double[] sum = new double[labels.encoding().wordCount()];
            int[] count = new int[sum.length];
            for (int t = 0; t < labels.encoding().size(); t++) {
                int word = labels.encoding().wordIds()[t];
                if (word >= 0) {
                    sum[word] += labels.probabilities()[t][keep];
                    count[word]++;
                }
            }
            assertThat(sum).hasSize(expected.length);
            for (int w = 0; w < sum.length; w++) {
                double mean = sum[w] / count[w];
                assertThat(Math.abs(mean - expected[w])).as("word %d of entry %d", w, i).isLessThan(TOLERANCE);
                // a word within the tolerance of the threshold may fall either side
                if (Math.abs(expected[w] - threshold) > TOLERANCE) {
                    assertThat(mean >= threshold).as("prediction for word %d of entry %d", w, i)
                            .isEqualTo(predictions.get(w).getAsBoolean());
                }
            }
        }
    }
}
