package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

class LogProbabilitiesTest {

    private static OnnxCausalLm model;

    @BeforeAll
    static void load() throws Exception {
        // batches of at most 2 rows, so that five sequences need three batches
        model = OnnxCausalLmFactory.load(StoryLm.folder(), new OnnxCausalLmConfig("unused", 1, 1, 2, 1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] encode(String text) {
        return model.tokenizer().encode(text, true).ids();
    }

    @Test
    void logProbabilitiesAgreeWithLogSoftmaxOfStepLogits() throws Exception {
        List<int[]> sequences = List.of(
                encode("mia lives in oslo . question : where does mia live ? answer : oslo"),
                encode("tom"),
                encode("one sunny morning , tom went to the old market ."),
                encode("fix : the cat of zara is smal . fixed : the cat of zara is small ."),
                encode("kaja has a big red box ."));
        float[][] scores = model.logProbabilities(sequences, RunLimits.DEFAULT);
        assertThat(scores.length).isEqualTo(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            int[] seq = sequences.get(i);
            assertThat(scores[i]).hasSize(seq.length);
            assertThat(scores[i][0]).isNaN();
            try (DecodingState state = model.start(List.of(new int[] {seq[0]}), RunLimits.DEFAULT)) {
                for (int t = 1; t < seq.length; t++) {
                    float[] logits = state.logits(0);
                    float expected = (float) (logits[seq[t]] - OnnxCausalLm.logSumExp(logits));
                    assertThat(scores[i][t]).as("sequence %d token %d", i, t).isCloseTo(expected, within(1e-4f));
                    assertThat(scores[i][t]).isLessThanOrEqualTo(0f);
                    state.append(new int[] {seq[t]});
                }
            }
        }
    }

    @Test
    void scoresDoNotDependOnTheOtherSequencesInTheBatch() throws Exception {
        int[] seq = encode("mia lives in oslo .");
        float[] alone = model.logProbabilities(List.of(seq), RunLimits.DEFAULT)[0];
        List<int[]> many = new ArrayList<>();
        many.add(encode("one sunny morning , tom went to the old market . tom went home ."));
        many.add(seq);
        float[] withLonger = model.logProbabilities(many, RunLimits.DEFAULT)[1];
        for (int t = 1; t < seq.length; t++) {
            assertThat(withLonger[t]).isCloseTo(alone[t], within(1e-4f));
        }
    }

    @Test
    void emptyAndOneTokenSequencesNeedNoModelCall() throws Exception {
        float[][] scores = model.logProbabilities(List.of(new int[0], new int[] {5}), RunLimits.DEFAULT);
        assertThat(scores[0]).isEmpty();
        assertThat(scores[1]).hasSize(1);
        assertThat(scores[1][0]).isNaN();
    }

    @Test
    void limitsAreRespected() {
        int[] seq = encode("mia lives in oslo .");
        assertThatThrownBy(() -> model.logProbabilities(List.of(seq, seq), new RunLimits(3, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("sequence 1");
        RunLimits past = RunLimits.DEFAULT.withDeadline(Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> model.logProbabilities(List.of(seq), past)).isInstanceOf(CancelledException.class);
        int[] tooLong = new int[model.info().maxPositions() + 1];
        Arrays.fill(tooLong, 5);
        assertThatThrownBy(() -> model.logProbabilities(List.of(tooLong), new RunLimits(1 << 20, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("at most " + model.info().maxPositions());
    }
}
