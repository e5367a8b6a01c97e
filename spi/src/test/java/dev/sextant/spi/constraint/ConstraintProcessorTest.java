package dev.sextant.spi.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConstraintProcessorTest {

    /**
     * A constraint over tokens 1..4 (end = 0): the text must be an alternation of 1 and 2 starting with 1,
     * of length 1 to 3; it records how many advances it was asked for.
     */
    static final class Alternating implements Constraint {
        final List<Integer> advances = new ArrayList<>();
        final TokenBytes vocabulary = new TokenBytes(new byte[][] {null, {'1'}, {'2'}, {'3'}, {'4'}}, Set.of(0));

        @Override
        public ConstraintState start() {
            return new State(0, 0);
        }

        @Override
        public TokenBytes vocabulary() {
            return vocabulary;
        }

        final class State implements ConstraintState {
            int length;
            int last;

            State(int length, int last) {
                this.length = length;
                this.last = last;
            }

            @Override
            public void allowed(long[] allowed) {
                allowed[0] = 0;
                if (length < 3) {
                    allowed[0] |= 1L << (last == 1 ? 2 : 1);
                }
                if (complete()) {
                    allowed[0] |= 1L;
                }
            }

            @Override
            public boolean advance(int token) {
                advances.add(token);
                long[] bits = new long[1];
                allowed(bits);
                if ((bits[0] & (1L << token)) == 0 || token == 0) {
                    return token == 0 && complete();
                }
                length++;
                last = token;
                return true;
            }

            @Override
            public boolean complete() {
                return length >= 1;
            }

            @Override
            public boolean finished() {
                return length == 3;
            }

            @Override
            public ConstraintState copy() {
                return new State(length, last);
            }
        }
    }

    private static float[] scores() {
        return new float[] {0.5f, 1f, 2f, 3f, 4f, 9f};
    }

    @Test
    void bansWhatTheConstraintDoesNotAllowAndTokensBeyondTheVocabulary() {
        Alternating constraint = new Alternating();
        ConstraintProcessor processor = new ConstraintProcessor(constraint);
        int[] prompt = {7, 7};

        float[] first = scores();
        processor.process(0, prompt, 2, first);
        assertThat(first).containsExactly(Float.NEGATIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);

        float[] second = scores();
        processor.process(0, new int[] {7, 7, 1}, 2, second);
        assertThat(second).containsExactly(0.5f, Float.NEGATIVE_INFINITY, 2f, Float.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Test
    void advancesOnlyOnNewTokensAndReplaysARowThatWentBack() {
        Alternating constraint = new Alternating();
        ConstraintProcessor processor = new ConstraintProcessor(constraint);

        processor.process(0, new int[] {7}, 1, scores());
        processor.process(0, new int[] {7, 1}, 1, scores());
        processor.process(0, new int[] {7, 1, 2}, 1, scores());
        assertThat(constraint.advances).containsExactly(1, 2);

        // a rewound draft, then another row's tokens (a beam): replayed from the start
        float[] back = scores();
        processor.process(0, new int[] {7, 1}, 1, back);
        assertThat(constraint.advances).containsExactly(1, 2, 1);
        assertThat(back[2]).isEqualTo(2f);
        processor.process(1, new int[] {7, 1, 2, 1}, 1, scores());
        assertThat(constraint.advances).containsExactly(1, 2, 1, 1, 2, 1);
    }

    @Test
    void aTokenTheConstraintRefusesLeavesNothingToChoose() {
        ConstraintProcessor processor = new ConstraintProcessor(new Alternating());
        float[] after = scores();

        processor.process(0, new int[] {7, 3}, 1, after);

        for (float f : after) {
            assertThat(f).isEqualTo(Float.NEGATIVE_INFINITY);
        }
    }
}
