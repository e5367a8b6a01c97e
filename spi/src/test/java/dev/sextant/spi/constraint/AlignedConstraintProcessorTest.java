package dev.sextant.spi.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.testing.TextListConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlignedConstraintProcessorTest {

    static final int A = 0;
    static final int B = 1;
    static final int C = 2;
    static final int END = 3;
    static final TokenBytes LETTERS = new TokenBytes(new byte[][] {{'a'}, {'b'}, {'c'}, null}, Set.of(END));
    static final ModelInfo MODEL = new ModelInfo("toy", "test", 4, 64, Set.of(END), -1, -1, Map.of());
    static final int[] PROMPT = {7, 7};
    static final float NO = Float.NEGATIVE_INFINITY;

    /** The grammar-conditioned probability of "ab": 0.9 * 0.01 / (0.9 * 0.01 + 0.1). */
    static final double ALIGNED_AB = 0.009 / 0.109;

    /**
     * The toy where masking is badly biased: P(a) = 0.9 and P(c) = 0.1 first, P(b | a) = 0.01 (the rest on
     * the end, which "a" may not take), then the end; only "ab" and "c" are allowed.
     */
    static float[] toyLogits(int[] tokens, int promptLength) {
        String text = text(tokens, promptLength);
        return switch (text) {
            case "" -> logs(0.9, 0, 0.1, 0);
            case "a" -> logs(0, 0.01, 0, 0.99);
            default -> logs(0, 0, 0, 1);
        };
    }

    static float[] logs(double... probabilities) {
        float[] scores = new float[probabilities.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) Math.log(probabilities[i]);
        }
        return scores;
    }

    static String text(int[] tokens, int promptLength) {
        StringBuilder text = new StringBuilder();
        for (int i = promptLength; i < tokens.length; i++) {
            text.append((char) ('a' + tokens[i]));
        }
        return text.toString();
    }

    static int[] append(int[] tokens, int token) {
        int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
        longer[tokens.length] = token;
        return longer;
    }

    /** A token drawn from softmax(scores). */
    static int draw(float[] scores, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double[] weights = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            weights[i] = Math.exp(scores[i] - max);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < scores.length; i++) {
            u -= weights[i];
            if (u < 0 && weights[i] > 0) {
                return i;
            }
        }
        throw new AssertionError("nothing to draw from " + Arrays.toString(scores));
    }

    /** One generation of the toy through a processor: the text before the end. */
    static String sample(LogitsProcessor processor, SplittableRandom random) {
        int[] tokens = PROMPT;
        while (true) {
            float[] scores = toyLogits(tokens, PROMPT.length);
            processor.process(0, tokens, PROMPT.length, scores);
            int token = draw(scores, random);
            if (token == END) {
                return text(tokens, PROMPT.length);
            }
            tokens = append(tokens, token);
        }
    }

    static Constraint abOrC() {
        return new TextListConstraint(LETTERS, "ab", "c");
    }

    /** How often "ab" comes out in the generations after the first {@code skip}. */
    static double frequencyOfAb(List<String> texts, int skip) {
        return texts.stream().skip(skip).filter("ab"::equals).count() / (double) (texts.size() - skip);
    }

    @Test
    void samplesTheModelRestrictedToTheConstraintWhereMaskingDoesNot() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        SplittableRandom random = new SplittableRandom(20240531);
        List<String> aligned = new ArrayList<>();
        List<String> masked = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            aligned.add(sample(new AlignedConstraintProcessor(constraint, futures, MODEL), random));
            masked.add(sample(new ConstraintProcessor(constraint), random));
        }

        assertThat(aligned).allMatch(t -> t.equals("ab") || t.equals("c"));
        assertThat(masked).allMatch(t -> t.equals("ab") || t.equals("c"));
        // the estimates are exact once one generation went through "a", so only the first few are biased;
        // over about 3000 draws a frequency's standard deviation is about 0.005 (0.025 is 4.5 of them)
        assertThat(frequencyOfAb(aligned, 100)).isCloseTo(ALIGNED_AB, within(0.025));
        assertThat(frequencyOfAb(masked, 0)).isCloseTo(0.9, within(0.025));
    }

    @Test
    void whatOneGenerationSawWeighsTheNextGenerationsChoices() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        AlignedConstraintProcessor first = new AlignedConstraintProcessor(constraint, futures, MODEL);
        int[] tokens = PROMPT;
        for (int token : new int[] {A, B}) {
            first.process(0, tokens, PROMPT.length, toyLogits(tokens, PROMPT.length));
            tokens = append(tokens, token);
        }
        first.process(0, tokens, PROMPT.length, toyLogits(tokens, PROMPT.length));

        float[] next = toyLogits(PROMPT, PROMPT.length);
        new AlignedConstraintProcessor(constraint, futures, MODEL).process(0, PROMPT, PROMPT.length, next);

        // "a" is weighed by its expected future grammaticality, 0.01; "c" was never sampled, so counts as 1
        assertThat(next[A]).isCloseTo((float) Math.log(0.9 * 0.01), within(1e-5f));
        assertThat(next[C]).isCloseTo((float) Math.log(0.1), within(1e-5f));
        assertThat(next[B]).isEqualTo(NO);
        assertThat(next[END]).isEqualTo(NO);
    }

    @Test
    void revisitingAPrefixDoesNotSkewItsEstimate() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        AlignedConstraintProcessor processor = new AlignedConstraintProcessor(constraint, futures, MODEL);
        int[] afterA = append(PROMPT, A);
        // a row that goes back and forth, as a rewound draft or beams sharing a row do
        for (int i = 0; i < 5; i++) {
            processor.process(0, PROMPT, PROMPT.length, toyLogits(PROMPT, PROMPT.length));
            processor.process(0, afterA, PROMPT.length, toyLogits(afterA, PROMPT.length));
        }
        float[] again = toyLogits(PROMPT, PROMPT.length);
        processor.process(0, PROMPT, PROMPT.length, again);
        float[] otherRow = toyLogits(PROMPT, PROMPT.length);
        new AlignedConstraintProcessor(constraint, futures, MODEL).process(3, PROMPT, PROMPT.length, otherRow);

        assertThat(again[A]).isCloseTo((float) Math.log(0.009), within(1e-5f));
        assertThat(otherRow[A]).isCloseTo((float) Math.log(0.009), within(1e-5f));
        assertThat(futures.nodes()).isEqualTo(2);
    }

    @Test
    void aRowThatJumpsToAnotherPrefixLearnsThereToo() {
        Constraint constraint = abOrC();
        ExpectedFutures futures = new ExpectedFutures();
        AlignedConstraintProcessor processor = new AlignedConstraintProcessor(constraint, futures, MODEL);
        int[] afterA = append(PROMPT, A);
        // a beam taking another beam's tokens: the row's first visit is already one token in
        processor.process(0, afterA, PROMPT.length, toyLogits(afterA, PROMPT.length));
        // the link to "a" was not known on that visit; the root's next visit learns it
        float[] root = toyLogits(PROMPT, PROMPT.length);
        processor.process(1, PROMPT, PROMPT.length, root);

        assertThat(root[A]).isCloseTo((float) Math.log(0.009), within(1e-5f));
        assertThat(root[C]).isCloseTo((float) Math.log(0.1), within(1e-5f));
    }

    @Test
    void theMasksAreExactlyThoseOfTheConstraintEvenForRowsThatGoBack() {
        TokenBytes vocabulary = new TokenBytes(
                new byte[][] {{'a'}, {'b'}, {'c'}, {'d'}, {'a', 'b'}, {'b', 'c'}, null, {'x'}}, Set.of(6));
        Constraint constraint = new TextListConstraint(vocabulary, "abc", "abd", "b", "bcd", "cc", "abcabc");
        ModelInfo model = new ModelInfo("hashed", "test", 9, 64, Set.of(6), -1, -1, Map.of());
        ExpectedFutures futures = new ExpectedFutures();
        SplittableRandom random = new SplittableRandom(7);
        int[] prompt = {42};
        int checked = 0;
        for (int generation = 0; generation < 300; generation++) {
            AlignedConstraintProcessor aligned = new AlignedConstraintProcessor(constraint, futures, model);
            ConstraintProcessor plain = new ConstraintProcessor(constraint);
            int[][] rows = {prompt, prompt};
            boolean[] done = new boolean[2];
            while (!done[0] || !done[1]) {
                int r = random.nextInt(2);
                if (done[r]) {
                    continue;
                }
                if (rows[r].length > prompt.length && random.nextInt(5) == 0) {
                    // went back: a rewound draft, or the other row's tokens (a beam took them over)
                    rows[r] = random.nextBoolean() ? Arrays.copyOf(rows[r], rows[r].length - 1) : rows[1 - r];
                }
                // 9 scores for a vocabulary of 8: the one beyond it is banned too
                float[] logits = new float[9];
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) (random.nextDouble() * 6 - 3);
                }
                float[] alignedScores = logits.clone();
                float[] plainScores = logits.clone();
                aligned.process(r, rows[r], prompt.length, alignedScores);
                plain.process(r, rows[r], prompt.length, plainScores);
                for (int id = 0; id < logits.length; id++) {
                    assertThat(alignedScores[id] == NO).as("token %d banned", id).isEqualTo(plainScores[id] == NO);
                    assertThat(alignedScores[id]).isLessThanOrEqualTo(plainScores[id]);
                }
                checked++;
                int token = draw(alignedScores, random);
                if (token == 6 || rows[r].length > 8) {
                    done[r] = true;
                } else {
                    rows[r] = append(rows[r], token);
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
        assertThat(futures.nodes()).isGreaterThan(1);
    }
}
