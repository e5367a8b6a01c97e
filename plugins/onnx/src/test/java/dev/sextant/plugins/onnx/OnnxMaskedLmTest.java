package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.floats;
import static dev.sextant.plugins.onnx.StoryLm.ints;
import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sextant.spi.CancelledException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** story-mlm through onnx-masked-lm reproduces what torch computed for the forge's reference.json. */
class OnnxMaskedLmTest {

    private static final float TOLERANCE = 1e-4f;

    private static OnnxMaskedLm model;
    private static JsonObject reference;
    private static List<JsonObject> entries;

    static Path folder() {
        return StoryLm.root().resolve("models/story-mlm");
    }

    /** Loads story-mlm with one intra-op thread and at most {@code maxBatchSize} rows per call. */
    static OnnxMaskedLm load(int maxBatchSize) throws Exception {
        return OnnxMaskedLmFactory.load(folder(), new OnnxMaskedLmConfig(folder().toString(), 1, 1, maxBatchSize));
    }

    @BeforeAll
    static void load() throws Exception {
        model = load(8);
        reference = JsonParser.parseString(Files.readString(folder().resolve("reference.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        entries = new ArrayList<>();
        for (JsonElement e : reference.getAsJsonArray("entries")) {
            entries.add(e.getAsJsonObject());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] inputIds(JsonObject entry) {
        return ints(entry.getAsJsonArray("input_ids"));
    }

    /** Ids of the five largest logits, largest first. */
    private static int[] top5(float[] logits) {
        return IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> logits[i]).reversed())
                .limit(5).mapToInt(Integer::intValue).toArray();
    }

    /** One masked position's logits against its reference: top-5 ids and logits, and the first eight logits. */
    private static void assertMatches(float[] logits, JsonObject expected, String what) {
        int[] ids = ints(expected.getAsJsonArray("top5_ids"));
        float[] values = floats(expected.getAsJsonArray("top5_logits"));
        int[] got = top5(logits);
        for (int k = 0; k < 5; k++) {
            assertThat(logits[ids[k]]).as("%s: logit of top-%d id %d", what, k + 1, ids[k])
                    .isCloseTo(values[k], within(TOLERANCE));
            if (got[k] != ids[k]) { // only a near-tie may be ordered differently
                assertThat(Math.abs(logits[got[k]] - logits[ids[k]])).as("%s: top-%d is %d, not %d", what, k + 1,
                        got[k], ids[k]).isLessThan(TOLERANCE);
            }
        }
        assertThat(maxAbsDiff(Arrays.copyOf(logits, 8), floats(expected.getAsJsonArray("logits_first8"))))
                .as("%s: first eight logits", what).isLessThan(TOLERANCE);
    }

    @Test
    void factsComeFromConfigJsonAndTheMaskIdIsTheReferences() {
        assertThat(model.maskTokenId()).isEqualTo(reference.get("mask_token_id").getAsInt());
        assertThat(model.info().vocabSize()).isEqualTo(reference.get("vocab_size").getAsInt());
        assertThat(model.info().padTokenId()).isEqualTo(reference.get("pad_token_id").getAsInt());
        assertThat(model.tokenizer().specialTokenIds()).contains(model.maskTokenId(), 0);
        assertThat(model.tokenizer().tokenId("<mask>")).hasValue(model.maskTokenId());
    }

    @Test
    void theTokenizerGivesTheReferenceIdsAndReadsMaskAsOneToken() {
        for (JsonObject entry : entries) {
            assertThat(model.tokenizer().encode(entry.get("text").getAsString(), true).ids())
                    .as(entry.get("text").getAsString()).containsExactly(ints(entry.getAsJsonArray("original_ids")));
        }
        int[] before = model.tokenizer().encode("tom lives in", false).ids();
        int[] after = model.tokenizer().encode(" .", false).ids();
        int[] expected = Arrays.copyOf(before, before.length + 1 + after.length);
        expected[before.length] = model.maskTokenId();
        System.arraycopy(after, 0, expected, before.length + 1, after.length);
        assertThat(model.tokenizer().encode("tom lives in <mask> .", false).ids()).containsExactly(expected);
    }

    @Test
    void eachReferenceTextAloneMatchesTorchAtEveryMaskedPosition() throws Exception {
        for (JsonObject entry : entries) {
            float[][][] out = model.maskedLogits(List.of(inputIds(entry)), RunLimits.DEFAULT);
            JsonArray masked = entry.getAsJsonArray("masked");
            assertThat(out).hasNumberOfRows(1);
            assertThat(out[0]).hasNumberOfRows(masked.size());
            for (int k = 0; k < masked.size(); k++) {
                assertThat(out[0][k]).hasSize(model.info().vocabSize());
                assertMatches(out[0][k], masked.get(k).getAsJsonObject(),
                        entry.get("text").getAsString() + " mask " + k);
            }
        }
    }

    @Test
    void theReferencesRightPaddedBatchMatchesTorch() throws Exception {
        JsonObject batched = reference.getAsJsonObject("batched");
        JsonArray sources = batched.getAsJsonArray("source_entries");
        List<int[]> rows = new ArrayList<>();
        for (JsonElement source : sources) {
            rows.add(inputIds(entries.get(source.getAsInt())));
        }
        float[][][] out = model.maskedLogits(rows, RunLimits.DEFAULT);
        JsonArray masked = batched.getAsJsonArray("masked");
        for (int r = 0; r < rows.size(); r++) {
            JsonArray row = masked.get(r).getAsJsonArray();
            assertThat(out[r]).hasNumberOfRows(row.size());
            for (int k = 0; k < row.size(); k++) {
                assertMatches(out[r][k], row.get(k).getAsJsonObject(), "batched row " + r + " mask " + k);
            }
        }
    }

    @Test
    void aPaddedBatchEqualsEachSequenceAloneInOrder() throws Exception {
        List<int[]> rows = new ArrayList<>();
        for (JsonObject entry : entries) {
            rows.add(inputIds(entry));
        }
        rows.add(1, ints(entries.get(1).getAsJsonArray("original_ids"))); // no mask: no rows, no call needed
        rows.add(new int[] {model.maskTokenId()});
        rows.add(inputIds(entries.get(3)));
        float[][][] batch = model.maskedLogits(rows, RunLimits.DEFAULT);
        assertThat(batch).hasNumberOfRows(rows.size());
        assertThat(batch[1]).isEmpty();
        for (int r = 0; r < rows.size(); r++) {
            float[][] alone = model.maskedLogits(List.of(rows.get(r)), RunLimits.DEFAULT)[0];
            assertThat(batch[r]).as("row %d", r).hasNumberOfRows(alone.length);
            for (int k = 0; k < alone.length; k++) {
                assertThat(maxAbsDiff(batch[r][k], alone[k])).as("row %d mask %d", r, k).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void batchesSplitByRowsAndLogitsBudgetGiveTheSameLogits() throws Exception {
        List<int[]> rows = new ArrayList<>();
        for (JsonObject entry : entries) {
            rows.add(inputIds(entry));
            rows.add(inputIds(entry));
        }
        float[][][] whole = model.maskedLogits(rows, RunLimits.DEFAULT);
        int vocab = model.info().vocabSize();
        // split by max-batch-size 1; by a budget of two 25-token rows (the 103-token row runs alone,
        // over it: positions of a bidirectional model cannot be split); by a budget of 30 positions
        try (OnnxMaskedLm oneRow = load(1)) {
            OnnxMaskedLm[] variants = {oneRow, model.withLogitsPerCall(2L * inputIds(entries.get(1)).length * vocab),
                model.withLogitsPerCall(30L * vocab)};
            for (OnnxMaskedLm variant : variants) {
                float[][][] split = variant.maskedLogits(rows, RunLimits.DEFAULT);
                for (int r = 0; r < rows.size(); r++) {
                    for (int k = 0; k < whole[r].length; k++) {
                        assertThat(maxAbsDiff(split[r][k], whole[r][k])).as("row %d mask %d", r, k)
                                .isLessThan(TOLERANCE);
                    }
                }
            }
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        List<int[]> rows = entries.stream().map(OnnxMaskedLmTest::inputIds).toList();
        float[][][] expected = model.maskedLogits(rows, RunLimits.DEFAULT);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int r = i % rows.size();
                futures.add(pool.submit(() -> model.maskedLogits(List.of(rows.get(r)), RunLimits.DEFAULT)[0]));
            }
            for (int i = 0; i < futures.size(); i++) {
                float[][] got = futures.get(i).get();
                float[][] want = expected[i % rows.size()];
                for (int k = 0; k < want.length; k++) {
                    assertThat(maxAbsDiff(got[k], want[k])).as("call %d mask %d", i, k).isLessThan(TOLERANCE);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anEmptyBatchGivesNoRows() throws Exception {
        assertThat(model.maskedLogits(List.of(), RunLimits.DEFAULT)).isEmpty();
    }

    @Test
    void anEmptySequenceIsNamed() {
        assertThatThrownBy(() -> model.maskedLogits(List.of(new int[] {5, model.maskTokenId()}, new int[0]),
                RunLimits.DEFAULT)).isInstanceOf(InputException.class).hasMessageContaining("sequence 2")
                .hasMessageContaining("empty");
    }

    @Test
    void anIdOutsideTheVocabularyIsNamedWithItsPosition() {
        int vocab = model.info().vocabSize();
        List<int[]> rows = List.of(new int[] {5, 6}, new int[] {7, model.maskTokenId(), vocab});
        assertThatThrownBy(() -> model.maskedLogits(rows, RunLimits.DEFAULT)).isInstanceOf(InputException.class)
                .hasMessageContaining("sequence 2").hasMessageContaining("position 2").hasMessageContaining(Integer.toString(vocab));
        assertThatThrownBy(() -> model.maskedLogits(List.of(new int[] {-4}), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class).hasMessageContaining("the sequence")
                .hasMessageContaining("position 0");
    }

    @Test
    void sequencesLongerThanTheLimitsOrTheModelAreRefused() {
        RunLimits short4 = new RunLimits(4, null, null);
        assertThatThrownBy(() -> model.maskedLogits(List.of(new int[] {5, 6, 7, 8, model.maskTokenId()}), short4))
                .isInstanceOf(InputException.class).hasMessageContaining("max-input-tokens");
        int[] tooLong = new int[model.info().maxPositions() + 1];
        tooLong[0] = model.maskTokenId();
        assertThatThrownBy(() -> model.maskedLogits(List.of(tooLong), new RunLimits(1 << 20, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("reads at most")
                .hasMessageContaining(Integer.toString(model.info().maxPositions()));
    }

    @Test
    void aPassedDeadlineStopsTheCall() {
        RunLimits late = RunLimits.DEFAULT.withDeadline(Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> model.maskedLogits(List.of(inputIds(entries.get(0))), late))
                .isInstanceOf(CancelledException.class);
    }
}
