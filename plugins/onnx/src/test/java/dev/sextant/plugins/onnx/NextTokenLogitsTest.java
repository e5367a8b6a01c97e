package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.floats;
import static dev.sextant.plugins.onnx.StoryLm.ints;
import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sextant.spi.CancelledException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batched next-token route gives what a decoding state gives, one left-padded call per group of rows. */
class NextTokenLogitsTest {

    private static final float TOLERANCE = 1e-4f;

    private static OnnxCausalLm model;
    private static List<int[]> mixed;

    @BeforeAll
    static void load() throws Exception {
        model = StoryLm.load();
        mixed = new ArrayList<>();
        for (String text : new String[] {"mia lives in oslo . question : where does mia live ? answer :", "tom",
                "one sunny morning , tom went to the old market . tom ate some bread for lunch .", "a b",
                "text : the soup tasted great to nils . topic :"}) {
            mixed.add(model.tokenizer().encode(text, true).ids());
        }
        // more rows than max-batch-size (8), with repeats: several calls, each with its own padding
        int[] first = mixed.get(0);
        for (int cut = 3; mixed.size() < 13; cut += 4) {
            mixed.add(Arrays.copyOf(first, cut));
        }
        mixed.add(mixed.get(1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static float[] alone(OnnxCausalLm lm, int[] sequence) throws Exception {
        try (DecodingState state = lm.start(List.of(sequence), RunLimits.DEFAULT)) {
            return state.logits(0);
        }
    }

    @Test
    void oneSequenceGivesTheLogitsOfADecodingState() throws Exception {
        for (int[] sequence : mixed.subList(0, 5)) {
            float[][] next = model.nextTokenLogits(List.of(sequence), RunLimits.DEFAULT);
            assertThat(next).hasDimensions(1, model.info().vocabSize());
            assertThat(maxAbsDiff(next[0], alone(model, sequence))).as("length %d", sequence.length)
                    .isLessThan(TOLERANCE);
        }
    }

    @Test
    void aBatchOfMixedLengthsGivesEachSequenceItsOwnLogitsInOrder() throws Exception {
        float[][] next = model.nextTokenLogits(mixed, RunLimits.DEFAULT);
        assertThat(next).hasNumberOfRows(mixed.size());
        for (int i = 0; i < mixed.size(); i++) {
            assertThat(maxAbsDiff(next[i], alone(model, mixed.get(i)))).as("sequence %d", i).isLessThan(TOLERANCE);
        }
    }

    @Test
    void equalsTorchForEveryReferencePromptAndGreedyPrefixInOneBatch() throws Exception {
        JsonObject reference = StoryLm.json("reference.json");
        List<int[]> sequences = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (JsonElement e : reference.getAsJsonArray("entries")) {
            JsonObject entry = e.getAsJsonObject();
            int[] prompt = ints(entry.getAsJsonArray("input_ids"));
            int[] greedy = ints(entry.getAsJsonArray("greedy_ids"));
            JsonArray logits = entry.getAsJsonArray("logits");
            // logits[k] follow the prompt and the first k greedy tokens
            for (int k = 0; k < logits.size() && k <= greedy.length; k++) {
                int[] sequence = Arrays.copyOf(prompt, prompt.length + k);
                System.arraycopy(greedy, 0, sequence, prompt.length, k);
                sequences.add(sequence);
                expected.add(floats(logits.get(k).getAsJsonArray()));
            }
        }
        JsonObject batched = reference.getAsJsonObject("batched");
        JsonArray lastLogits = batched.getAsJsonArray("last_logits");
        for (int r = 0; r < lastLogits.size(); r++) {
            sequences.add(model.tokenizer().encode(batched.getAsJsonArray("texts").get(r).getAsString(), true).ids());
            expected.add(floats(lastLogits.get(r).getAsJsonArray()));
        }
        float[][] next = model.nextTokenLogits(sequences, RunLimits.DEFAULT);
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(maxAbsDiff(next[i], expected.get(i))).as("sequence %d", i).isLessThan(TOLERANCE);
        }
    }

    @Test
    void rowsAreSplitToStayWithinTheLogitsBudget() throws Exception {
        int[] longest = mixed.get(2);
        // two rows of the longest sequence per call
        OnnxCausalLm twoRows = model.withLogitsPerCall(2L * longest.length * model.info().vocabSize());
        float[][] split = twoRows.nextTokenLogits(mixed, RunLimits.DEFAULT);
        float[][] whole = model.nextTokenLogits(mixed, RunLimits.DEFAULT);
        for (int i = 0; i < mixed.size(); i++) {
            assertThat(maxAbsDiff(split[i], whole[i])).as("sequence %d", i).isLessThan(TOLERANCE);
        }
    }

    @Test
    void aRowOverTheBudgetAloneRunsInChunksOfPositions() throws Exception {
        OnnxCausalLm tiny = model.withLogitsPerCall(5L * model.info().vocabSize());
        List<int[]> sequences = List.of(mixed.get(2), mixed.get(1), mixed.get(3));
        float[][] next = tiny.nextTokenLogits(sequences, RunLimits.DEFAULT);
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(maxAbsDiff(next[i], alone(model, sequences.get(i)))).as("sequence %d", i)
                    .isLessThan(TOLERANCE);
        }
    }

    @Test
    void keepsNoCacheOpen() throws Exception {
        int open = KvCache.openCaches();
        model.nextTokenLogits(mixed, RunLimits.DEFAULT);
        assertThat(KvCache.openCaches()).isEqualTo(open);
    }

    @Test
    void anEmptyBatchGivesNoRows() throws Exception {
        assertThat(model.nextTokenLogits(List.of(), RunLimits.DEFAULT)).isEmpty();
    }

    @Test
    void anEmptySequenceIsNamed() {
        assertThatThrownBy(() -> model.nextTokenLogits(List.of(new int[] {5, 6}, new int[0]), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class).hasMessageContaining("sequence 2").hasMessageContaining("empty");
    }

    @Test
    void anIdOutsideTheVocabularyIsNamedWithItsPosition() {
        int vocab = model.info().vocabSize();
        assertThatThrownBy(() -> model.nextTokenLogits(List.of(new int[] {5, 6}, new int[] {7, 8, 9, vocab}),
                RunLimits.DEFAULT)).isInstanceOf(InputException.class).hasMessageContaining("sequence 2")
                .hasMessageContaining("position 3").hasMessageContaining(Integer.toString(vocab));
        assertThatThrownBy(() -> model.nextTokenLogits(List.of(new int[] {-1}), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class).hasMessageContaining("the sequence")
                .hasMessageContaining("position 0");
    }

    @Test
    void sequencesLongerThanTheLimitsOrTheModelAreRefused() {
        RunLimits short4 = new RunLimits(4, null, null);
        assertThatThrownBy(() -> model.nextTokenLogits(List.of(new int[] {5, 6, 7, 8, 9}), short4))
                .isInstanceOf(InputException.class).hasMessageContaining("max-input-tokens");
        int[] tooLong = new int[model.info().maxPositions() + 1];
        assertThatThrownBy(() -> model.nextTokenLogits(List.of(tooLong), new RunLimits(1 << 20, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("reads at most");
    }

    @Test
    void aPassedDeadlineStopsTheCall() {
        RunLimits late = RunLimits.DEFAULT.withDeadline(Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> model.nextTokenLogits(mixed, late)).isInstanceOf(CancelledException.class);
    }
}
