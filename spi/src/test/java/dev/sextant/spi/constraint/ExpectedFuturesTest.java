package dev.sextant.spi.constraint;

import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.A;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.ALIGNED_AB;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.B;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.MODEL;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.abOrC;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.append;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.frequencyOfAb;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.sample;
import static dev.sextant.spi.constraint.AlignedConstraintProcessorTest.toyLogits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.model.ModelInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpectedFuturesTest {

    /** Runs one generation of the toy that writes "ab", through an aligned processor. */
    private static void writeAb(Constraint constraint, ExpectedFutures futures, ModelInfo model, int[] prompt) {
        AlignedConstraintProcessor processor = new AlignedConstraintProcessor(constraint, futures, model);
        int[] tokens = prompt;
        for (int token : new int[] {A, B}) {
            processor.process(0, tokens, prompt.length, toyLogits(tokens, prompt.length));
            tokens = append(tokens, token);
        }
        processor.process(0, tokens, prompt.length, toyLogits(tokens, prompt.length));
    }

    /** The score of "a" at the start of a new generation of {@code prompt}: log 0.9 if nothing was learned. */
    private static float firstScoreOfA(Constraint constraint, ExpectedFutures futures, ModelInfo model, int[] prompt) {
        float[] scores = toyLogits(prompt, prompt.length);
        new AlignedConstraintProcessor(constraint, futures, model).process(0, prompt, prompt.length, scores);
        return scores[A];
    }

    @Test
    void dropsTheLeastRecentlyUsedPromptsToStayWithinItsBound() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures(7);
        int[] first = {1};
        int[] second = {2};
        int[] third = {3};
        writeAb(constraint, futures, MODEL, first);
        writeAb(constraint, futures, MODEL, second);
        assertThat(futures.nodes()).isEqualTo(6);
        writeAb(constraint, futures, MODEL, first); // now the second is the least recently used

        writeAb(constraint, futures, MODEL, third);

        assertThat(futures.nodes()).isEqualTo(6);
        assertThat(futures.prompts()).isEqualTo(2);
        assertThat(futures.holds(constraint, MODEL, first)).isTrue();
        assertThat(futures.holds(constraint, MODEL, second)).isFalse();
        assertThat(futures.holds(constraint, MODEL, third)).isTrue();
        // what the first prompt learned is still used, the second starts again from the model's own scores
        assertThat(firstScoreOfA(constraint, futures, MODEL, first)).isCloseTo((float) Math.log(0.009), within(1e-5f));
        assertThat(firstScoreOfA(constraint, futures, MODEL, second)).isCloseTo((float) Math.log(0.9), within(1e-5f));
        assertThat(futures.nodes()).isLessThanOrEqualTo(7);
    }

    @Test
    void aPromptAloneAtTheBoundStopsGrowingAndKeepsWhatItLearned() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures(2);
        int[] prompt = {1};

        writeAb(constraint, futures, MODEL, prompt); // the root and "a" fit, "ab" does not
        writeAb(constraint, futures, MODEL, prompt);

        assertThat(futures.nodes()).isEqualTo(2);
        assertThat(firstScoreOfA(constraint, futures, MODEL, prompt)).isCloseTo((float) Math.log(0.009), within(1e-5f));
    }

    @Test
    void keepsTheTreesOfDifferentModelsAndConstraintsApart() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        ModelInfo other = new ModelInfo("other", "test", 4, 64, Set.of(3), -1, -1, Map.of());
        int[] prompt = {1};

        writeAb(constraint, futures, MODEL, prompt);

        assertThat(firstScoreOfA(constraint, futures, other, prompt)).isCloseTo((float) Math.log(0.9), within(1e-5f));
        assertThat(firstScoreOfA(abOrC(), futures, MODEL, prompt)).isCloseTo((float) Math.log(0.9), within(1e-5f));
        assertThat(futures.prompts()).isEqualTo(3);
    }

    @Test
    void clearForgetsEverything() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        int[] prompt = {1};
        writeAb(constraint, futures, MODEL, prompt);

        futures.clear();

        assertThat(futures.nodes()).isZero();
        assertThat(firstScoreOfA(constraint, futures, MODEL, prompt)).isCloseTo((float) Math.log(0.9), within(1e-5f));
    }

    @Test
    void concurrentGenerationsOfOnePromptShareOneTree() throws Exception {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        List<String> texts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                SplittableRandom random = new SplittableRandom(100 + t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        texts.add(sample(new AlignedConstraintProcessor(constraint, futures, MODEL), random));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        // the root, "a", "ab" and "c", however the threads interleaved
        assertThat(futures.nodes()).isEqualTo(4);
        assertThat(texts).hasSize(2000).allMatch(t -> t.equals("ab") || t.equals("c"));
        assertThat(frequencyOfAb(texts, 100)).isCloseTo(ALIGNED_AB, within(0.025));
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatThrownBy(() -> new ExpectedFutures(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
