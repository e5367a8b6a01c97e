package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.argmax;
import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** appendAll, fork and rewind compute exactly what the plain path computes. */
class DecodingStateTest {

    private static final float TOLERANCE = 1e-4f;
    private static OnnxCausalLm model;
    private static List<int[]> prompts;

    @BeforeAll
    static void load() throws Exception {
        model = StoryLm.load();
        prompts = List.of(
                encode("mia lives in oslo . question : where does mia live ? answer :"),
                encode("tom"),
                encode("one sunny morning , tom went to the old market . tom"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] encode(String text) {
        return model.tokenizer().encode(text, true).ids();
    }

    /** Next-token logits after a whole sequence, computed from scratch as one prompt. */
    private static float[] fresh(int[] tokens) throws Exception {
        try (DecodingState state = model.start(List.of(tokens), RunLimits.DEFAULT)) {
            return state.logits(0);
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(maxAbsDiff(actual, expected)).as(what).isLessThan(TOLERANCE);
    }

    /** Greedy tokens per row for a number of steps. */
    private static int[][] greedy(DecodingState state, int steps) throws Exception {
        int[][] out = new int[state.rows()][steps];
        for (int s = 0; s < steps; s++) {
            int[] next = new int[state.rows()];
            for (int r = 0; r < next.length; r++) {
                next[r] = argmax(state.logits(r));
                out[r][s] = next[r];
            }
            state.append(next);
        }
        return out;
    }

    @Test
    void appendAllEqualsAppendingOneByOne() throws Exception {
        int[][] tokens = {{262, 378, 315, 276}, {257, 351, 322, 938}, {258, 11, 308, 270}};
        try (DecodingState together = model.start(prompts, RunLimits.DEFAULT);
                DecodingState oneByOne = model.start(prompts, RunLimits.DEFAULT)) {
            float[][][] all = together.appendAll(tokens);
            for (int i = 0; i < 4; i++) {
                int[] column = new int[tokens.length];
                for (int r = 0; r < tokens.length; r++) {
                    column[r] = tokens[r][i];
                }
                oneByOne.append(column);
                for (int r = 0; r < tokens.length; r++) {
                    assertClose(all[r][i], oneByOne.logits(r), "row " + r + " token " + i);
                }
            }
            for (int r = 0; r < tokens.length; r++) {
                assertThat(together.tokens(r)).containsExactly(oneByOne.tokens(r));
                assertClose(together.logits(r), all[r][3], "logits after appendAll, row " + r);
                assertClose(together.logits(r), fresh(together.tokens(r)), "from scratch, row " + r);
            }
        }
    }

    @Test
    void logitsAreACopyTheCallerMayModify() throws Exception {
        try (DecodingState state = model.start(List.of(prompts.get(0)), RunLimits.DEFAULT)) {
            float[] first = state.logits(0);
            Arrays.fill(first, 0f);
            assertThat(maxAbsDiff(state.logits(0), first)).isGreaterThan(0f);
        }
    }

    @Test
    void forkDuplicatesDropsAndReordersRowsThatContinueLikeTheirSources() throws Exception {
        int[][] expected = new int[prompts.size()][];
        for (int r = 0; r < prompts.size(); r++) {
            try (DecodingState alone = model.start(List.of(prompts.get(r)), RunLimits.DEFAULT)) {
                expected[r] = greedy(alone, 8)[0];
            }
        }
        try (DecodingState state = model.start(prompts, RunLimits.DEFAULT)) {
            greedy(state, 3);
            int[] sources = {2, 0, 0};
            state.fork(sources);
            assertThat(state.rows()).isEqualTo(3);
            int[][] after = greedy(state, 5);
            for (int i = 0; i < sources.length; i++) {
                assertThat(after[i]).containsExactly(Arrays.copyOfRange(expected[sources[i]], 3, 8));
                assertThat(state.tokens(i)).startsWith(prompts.get(sources[i]));
                assertThat(state.promptLength(i)).isEqualTo(prompts.get(sources[i]).length);
                assertClose(state.logits(i), fresh(state.tokens(i)), "forked row " + i);
            }
            state.fork(new int[] {1});
            assertThat(state.rows()).isEqualTo(1);
            state.fork(new int[] {0, 0, 0, 0});
            int[][] grown = greedy(state, 2);
            for (int[] row : grown) {
                assertThat(row).containsExactly(grown[0]);
            }
            assertClose(state.logits(3), fresh(state.tokens(3)), "grown row");
        }
    }

    @Test
    void rewindWithinTheLastCallThenReappendGivesTheSameLogitsAsNeverRewinding() throws Exception {
        try (DecodingState state = model.start(prompts, RunLimits.DEFAULT);
                DecodingState plain = model.start(prompts, RunLimits.DEFAULT)) {
            int[][] draft = {{262, 378, 315}, {257, 351, 322}, {258, 11, 308}};
            float[][][] logits = state.appendAll(draft);
            plain.appendAll(new int[][] {{262}, {257}, {258}});
            state.rewind(0, 2);
            state.rewind(1, 3); // back to the prompt: the logits before the call
            state.rewind(2, 0);
            assertClose(state.logits(0), logits[0][0], "row 0 after rewinding 2");
            assertClose(state.logits(1), fresh(prompts.get(1)), "row 1 back at its prompt");
            assertThat(state.tokens(0)).hasSize(prompts.get(0).length + 1);
            assertThat(state.tokens(1)).containsExactly(prompts.get(1));
            assertClose(state.logits(2), logits[2][2], "row 2 untouched");
            state.rewind(2, 2);
            state.appendAll(new int[][] {{11}, {257}, {11}});
            plain.appendAll(new int[][] {{11}, {351}, {11}});
            assertClose(state.logits(0), plain.logits(0), "row 0 re-appended");
            assertClose(state.logits(2), plain.logits(2), "row 2 re-appended");
            assertClose(state.logits(1), fresh(state.tokens(1)), "row 1 re-appended");
            assertClose(state.logits(0), fresh(state.tokens(0)), "row 0 from scratch");
        }
    }

    @Test
    void rewindPastTheLastCallRecomputesTheLogitsOfTheNewLastToken() throws Exception {
        try (DecodingState state = model.start(prompts, RunLimits.DEFAULT)) {
            int[][] generated = greedy(state, 6);
            state.rewind(1, 4);
            state.rewind(2, 1);
            int[] row1 = state.tokens(1);
            assertThat(row1).hasSize(prompts.get(1).length + 2);
            assertClose(state.logits(1), fresh(row1), "row 1 rewound 4");
            assertClose(state.logits(2), fresh(state.tokens(2)), "row 2 rewound 1");
            int[][] again = greedy(state, 4);
            assertThat(again[1]).containsExactly(Arrays.copyOfRange(generated[1], 2, 6));
            assertThat(again[0]).hasSize(4);
            for (int r = 0; r < 3; r++) {
                assertClose(state.logits(r), fresh(state.tokens(r)), "row " + r + " after continuing");
            }
        }
    }

    @Test
    void repeatedRewindsCompactTheCacheAndKeepResultsExact() throws Exception {
        try (OnnxDecodingState state = (OnnxDecodingState) model.start(List.of(prompts.get(1)), RunLimits.DEFAULT)) {
            int[] draft = new int[10];
            Arrays.fill(draft, 351);
            for (int round = 0; round < 12; round++) {
                state.appendAll(new int[][] {draft});
                state.rewind(0, 9); // keep one token per round
            }
            assertThat(state.tokens(0)).hasSize(prompts.get(1).length + 12);
            assertThat(state.cacheSlots()).isLessThan(prompts.get(1).length + 12 * 10);
            assertClose(state.logits(0), fresh(state.tokens(0)), "after 12 rounds");
        }
    }

    @Test
    void aRowCanFillTheWholeContextAfterRewinds() throws Exception {
        int max = model.info().maxPositions();
        int[] prompt = new int[max - 20];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = prompts.get(0)[i % prompts.get(0).length];
        }
        try (OnnxDecodingState state = (OnnxDecodingState) model.start(List.of(prompt), RunLimits.DEFAULT.withDeadline(null))) {
            int[] ten = new int[10];
            Arrays.fill(ten, 258);
            state.appendAll(new int[][] {ten});
            state.rewind(0, 5);
            state.appendAll(new int[][] {ten});
            state.appendAll(new int[][] {Arrays.copyOf(ten, 5)});
            assertThat(state.tokens(0)).hasSize(max);
            assertThat(state.cacheSlots()).isLessThanOrEqualTo(max);
            assertThatThrownBy(() -> state.append(new int[] {258})).isInstanceOf(InputException.class)
                    .hasMessageContaining("at most " + max);
            assertThat(state.tokens(0)).hasSize(max);
        }
    }

    @Test
    void rewindingIntoThePromptIsRefused() throws Exception {
        try (DecodingState state = model.start(prompts, RunLimits.DEFAULT)) {
            greedy(state, 2);
            assertThatThrownBy(() -> state.rewind(0, 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt");
            assertThatThrownBy(() -> state.rewind(0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(state.tokens(0)).hasSize(prompts.get(0).length + 2);
        }
    }

    @Test
    void aClosedStateThrowsIllegalStateException() throws Exception {
        DecodingState state = model.start(prompts, RunLimits.DEFAULT);
        state.close();
        state.close();
        assertThatThrownBy(() -> state.logits(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.append(new int[] {1, 2, 3})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.appendAll(new int[][] {{1}, {2}, {3}})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.fork(new int[] {0})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.rewind(0, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(state::rows).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.tokens(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badInputsAreRefusedWithClearMessages() throws Exception {
        assertThatThrownBy(() -> model.start(List.of(new int[0]), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> model.start(List.of(prompts.get(0)), new RunLimits(5, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("more than the limit of 5");
        int[] tooLong = new int[model.info().maxPositions() + 1];
        assertThatThrownBy(() -> model.start(List.of(prompts.get(1), tooLong), RunLimits.DEFAULT.withDeadline(null)))
                .isInstanceOf(InputException.class).hasMessageContaining("prompt 2")
                .hasMessageContaining("at most " + model.info().maxPositions());
        assertThatThrownBy(() -> model.start(List.of(new int[] {1, model.info().vocabSize()}), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class).hasMessageContaining("vocabulary");
        try (DecodingState state = model.start(prompts, RunLimits.DEFAULT)) {
            assertThatThrownBy(() -> state.append(new int[] {1})).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> state.appendAll(new int[][] {{1}, {2, 3}, {4}}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> state.fork(new int[] {3})).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentStatesOnOneModelGiveTheSameTokensAsOneAtATime() throws Exception {
        int[][] expected = new int[prompts.size()][];
        for (int r = 0; r < prompts.size(); r++) {
            try (DecodingState state = model.start(List.of(prompts.get(r)), RunLimits.DEFAULT)) {
                expected[r] = greedy(state, 10)[0];
            }
        }
        List<Thread> threads = new ArrayList<>();
        int[][] actual = new int[prompts.size()][];
        Throwable[] failures = new Throwable[prompts.size()];
        for (int r = 0; r < prompts.size(); r++) {
            int row = r;
            threads.add(new Thread(() -> {
                try (DecodingState state = model.start(List.of(prompts.get(row)), RunLimits.DEFAULT)) {
                    actual[row] = greedy(state, 10)[0];
                } catch (Throwable t) {
                    failures[row] = t;
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (int r = 0; r < prompts.size(); r++) {
            assertThat(failures[r]).isNull();
            assertThat(actual[r]).containsExactly(expected[r]);
        }
    }
}
