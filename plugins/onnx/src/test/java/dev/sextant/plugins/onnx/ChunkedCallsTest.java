package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.StoryLm.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prompts and scored sequences longer than one call's logits budget run in chunks with the same results. */
class ChunkedCallsTest {

    private static OnnxCausalLm model;
    /** Two positions per call for three rows, seven for one. */
    private static OnnxCausalLm chunked;
    private static List<int[]> prompts;

    @BeforeAll
    static void load() throws Exception {
        model = StoryLm.load();
        chunked = model.withLogitsPerCall(7L * model.info().vocabSize());
        prompts = List.of(
                model.tokenizer().encode("mia lives in oslo . question : where does mia live ? answer :", true).ids(),
                model.tokenizer().encode("tom", true).ids(),
                model.tokenizer().encode("one sunny morning , tom went to the old market . tom", true).ids());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void chunkedPrefillAndAppendAllGiveTheSameLogits() throws Exception {
        assertThat(chunked.positionsPerCall(3)).isEqualTo(2);
        int[][] draft = {{262, 378, 315, 276, 258}, {257, 351, 322, 938, 258}, {258, 11, 308, 270, 262}};
        try (DecodingState whole = model.start(prompts, RunLimits.DEFAULT);
                DecodingState pieces = chunked.start(prompts, RunLimits.DEFAULT)) {
            for (int r = 0; r < prompts.size(); r++) {
                assertThat(maxAbsDiff(pieces.logits(r), whole.logits(r))).as("prompt %d", r).isLessThan(1e-4f);
            }
            float[][][] a = whole.appendAll(draft);
            float[][][] b = pieces.appendAll(draft);
            for (int r = 0; r < draft.length; r++) {
                assertThat(b[r].length).isEqualTo(draft[r].length);
                for (int i = 0; i < draft[r].length; i++) {
                    assertThat(maxAbsDiff(b[r][i], a[r][i])).as("row %d token %d", r, i).isLessThan(1e-4f);
                }
            }
            pieces.rewind(1, 4);
            whole.rewind(1, 4);
            assertThat(maxAbsDiff(pieces.logits(1), whole.logits(1))).isLessThan(1e-4f);
        }
    }

    @Test
    void chunkedScoringGivesTheSameLogProbabilities() throws Exception {
        float[][] a = model.logProbabilities(prompts, RunLimits.DEFAULT);
        float[][] b = chunked.logProbabilities(prompts, RunLimits.DEFAULT);
        for (int i = 0; i < prompts.size(); i++) {
            for (int t = 1; t < prompts.get(i).length; t++) {
                assertThat(b[i][t]).as("sequence %d token %d", i, t).isCloseTo(a[i][t], within(1e-4f));
            }
        }
    }
}
