package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A graph with a {@code logits_to_keep} input computes only the last position's logits where that
 * is all a call needs (next-token logits, prefill, one-token steps) and every position where it is not
 * (scoring, {@code appendAll}); a graph without the input computes every position, with the same results.
 */
class LogitsToKeepTest {

    private static final OnnxCausalLmConfig SETTINGS = new OnnxCausalLmConfig(".", 1, 1, 8, 1);

    private static OnnxCausalLm storyLm;
    private static List<int[]> prompts;

    @BeforeAll
    static void load() throws Exception {
        storyLm = StoryLm.load();
        prompts = new ArrayList<>();
        for (String text : new String[] {"mia lives in oslo . question : where does mia live ? answer :", "tom",
                "one sunny morning , tom went to the old market ."}) {
            prompts.add(storyLm.tokenizer().encode(text, true).ids());
        }
    }

    @AfterAll
    static void close() {
        storyLm.close();
    }

    private static int longest(List<int[]> sequences) {
        return sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
    }

    @Test
    void storyLmTakesLogitsToKeep() {
        assertThat(storyLm.graph().keepsLastLogits()).isTrue();
        assertThat(storyLm.graph().logitsPositions(40, true)).isEqualTo(1);
        assertThat(storyLm.graph().logitsPositions(40, false)).isEqualTo(40);
    }

    @Test
    void nextTokenLogitsComputeOneLogitVectorPerSequence() throws Exception {
        long before = storyLm.graph().logitVectors();
        float[][] next = storyLm.nextTokenLogits(prompts, RunLimits.DEFAULT);
        assertThat(storyLm.graph().logitVectors() - before).isEqualTo(prompts.size());
        try (DecodingState state = storyLm.start(List.of(prompts.get(0)), RunLimits.DEFAULT)) {
            assertThat(maxAbsDiff(next[0], state.logits(0))).isLessThan(1e-4f);
        }
    }

    @Test
    void prefillAndOneTokenStepsComputeOneLogitVectorPerRowAndAppendAllEveryPosition() throws Exception {
        long before = storyLm.graph().logitVectors();
        try (DecodingState state = storyLm.start(prompts, RunLimits.DEFAULT)) {
            assertThat(storyLm.graph().logitVectors() - before).isEqualTo(3);
            state.append(new int[] {262, 378, 315});
            assertThat(storyLm.graph().logitVectors() - before).isEqualTo(6);
            float[][][] drafted = state.appendAll(new int[][] {{5, 6}, {7, 8}, {9, 10}});
            assertThat(storyLm.graph().logitVectors() - before).isEqualTo(12);
            // the logits before a drafted token are kept, so rewinding it needs no model call
            state.rewind(2, 1);
            assertThat(maxAbsDiff(state.logits(2), drafted[2][0])).isEqualTo(0f);
            assertThat(storyLm.graph().logitVectors() - before).isEqualTo(12);
        }
    }

    @Test
    void scoringComputesEveryPosition() throws Exception {
        long before = storyLm.graph().logitVectors();
        storyLm.logProbabilities(prompts, RunLimits.DEFAULT);
        assertThat(storyLm.graph().logitVectors() - before).isEqualTo((long) prompts.size() * longest(prompts));
    }

    /** Sequences of lengths 1 to 5 over the tiny vocabulary. */
    private static List<int[]> tinySequences() {
        return List.of(new int[] {3}, new int[] {1, 2}, new int[] {5, 4, 3}, new int[] {2, 2, 1, 0},
                new int[] {4, 1, 5, 2, 3});
    }

    private static double logSoftmax(float[] logits, int id) {
        return logits[id] - OnnxCausalLm.logSumExp(logits);
    }

    @ParameterizedTest(name = "logits_to_keep input: {0}")
    @ValueSource(booleans = {true, false})
    void aTinyGraphGivesTheSameResultsWithOrWithoutLogitsToKeep(boolean withInput, @TempDir Path dir)
            throws Exception {
        TinyCausalLmGraph tiny = new TinyCausalLmGraph();
        tiny.logitsToKeepType = withInput ? TinyCausalLmGraph.INT64 : 0;
        tiny.writeTo(dir);
        List<int[]> sequences = tinySequences();
        try (OnnxCausalLm lm = OnnxCausalLmFactory.load(dir, SETTINGS)) {
            DecoderGraph graph = lm.graph();
            assertThat(graph.keepsLastLogits()).isEqualTo(withInput);

            long before = graph.logitVectors();
            float[][] next = lm.nextTokenLogits(sequences, RunLimits.DEFAULT);
            // one call of 5 rows, left-padded to 5 positions
            assertThat(graph.logitVectors() - before).isEqualTo(withInput ? 5 : 25);
            for (int i = 0; i < sequences.size(); i++) {
                int[] s = sequences.get(i);
                assertThat(next[i]).as("sequence %d", i).containsExactly(tiny.row(s[s.length - 1], s.length - 1));
            }

            try (DecodingState state = lm.start(sequences, RunLimits.DEFAULT)) {
                for (int i = 0; i < sequences.size(); i++) {
                    int[] s = sequences.get(i);
                    assertThat(state.logits(i)).containsExactly(tiny.row(s[s.length - 1], s.length - 1));
                }
                state.append(new int[] {1, 2, 3, 4, 5});
                assertThat(state.logits(4)).containsExactly(tiny.row(5, 5));
                float[][][] drafted = state.appendAll(new int[][] {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}});
                assertThat(drafted[1][0]).containsExactly(tiny.row(1, 3));
                assertThat(drafted[1][1]).containsExactly(tiny.row(2, 4));
            }

            before = graph.logitVectors();
            float[][] scores = lm.logProbabilities(sequences, RunLimits.DEFAULT);
            // the one-token sequence has nothing to score: one call of 4 rows, right-padded to 5 positions
            assertThat(graph.logitVectors() - before).isEqualTo(20);
            int[] s = sequences.get(4);
            for (int t = 1; t < s.length; t++) {
                assertThat(scores[4][t]).as("token %d", t)
                        .isCloseTo((float) logSoftmax(tiny.row(s[t - 1], t - 1), s[t]), within(1e-5f));
            }
        }
    }

    @Test
    void aOneElementLogitsToKeepIsFedAsSuch(@TempDir Path dir) throws Exception {
        TinyCausalLmGraph tiny = new TinyCausalLmGraph();
        tiny.logitsToKeepShape = new long[] {1};
        tiny.writeTo(dir);
        try (OnnxCausalLm lm = OnnxCausalLmFactory.load(dir, SETTINGS)) {
            assertThat(lm.graph().keepsLastLogits()).isTrue();
            float[][] next = lm.nextTokenLogits(tinySequences(), RunLimits.DEFAULT);
            assertThat(next[4]).containsExactly(tiny.row(3, 4));
        }
    }

    @Test
    void aLogitsToKeepThatIsNotAnIntegerScalarIsAClearError(@TempDir Path dir) throws Exception {
        TinyCausalLmGraph floats = new TinyCausalLmGraph();
        floats.logitsToKeepType = TinyCausalLmGraph.FLOAT;
        Path a = floats.writeTo(Files.createDirectories(dir.resolve("float")));
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(a, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining("logits_to_keep").hasMessageContaining("int64 or int32 expected");
        TinyCausalLmGraph vector = new TinyCausalLmGraph();
        vector.logitsToKeepShape = new long[] {2};
        Path b = vector.writeTo(Files.createDirectories(dir.resolve("vector")));
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(b, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining("logits_to_keep").hasMessageContaining("shape [2]")
                .hasMessageContaining("scalar");
    }
}
