package dev.sextant.spi.constraint;

import dev.sextant.spi.decode.LogitsProcessor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies a {@link Constraint} as a logits processor: every token that the constraint does not allow
 * next gets {@code -Infinity}. It is a function of the row's tokens, as draft-and-verify decoders
 * need: each row keeps the state of the generated tokens it last saw and advances it when they grow;
 * when they do not extend them (a beam took another beam's row, a draft was rewound) the state is
 * rebuilt from the generated tokens. One instance per generation ({@link #prepare} of the component
 * is the caller's business); not thread-safe.
 */
public final class ConstraintProcessor implements LogitsProcessor {

    private final Constraint constraint;
    private final long[] allowed;
    private final Map<Integer, Row> rows = new HashMap<>();

    public ConstraintProcessor(Constraint constraint) {
        this.constraint = constraint;
        this.allowed = new long[(constraint.vocabulary().size() + 63) / 64];
    }

    /** The constraint this processor applies. */
    public Constraint constraint() {
        return constraint;
    }

    @Override
    public void process(int row, int[] tokens, int promptLength, float[] scores) {
        ConstraintState state = rows.computeIfAbsent(row, r -> new Row()).at(tokens, promptLength);
        if (state == null) {
            // a generated token the constraint does not allow: nothing may follow it
            Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            return;
        }
        state.allowed(allowed);
        int n = Math.min(scores.length, constraint.vocabulary().size());
        for (int id = 0; id < n; id++) {
            if ((allowed[id >>> 6] & (1L << id)) == 0) {
                scores[id] = Float.NEGATIVE_INFINITY;
            }
        }
        for (int id = n; id < scores.length; id++) {
            scores[id] = Float.NEGATIVE_INFINITY;
        }
    }

    /** One row: the generated tokens its state has consumed. */
    private final class Row {
        private int[] seen = new int[0];
        private ConstraintState state = constraint.start();

        /** The state after {@code tokens[promptLength..]}, or null if one of them is not allowed. */
        ConstraintState at(int[] tokens, int promptLength) {
            int generated = tokens.length - promptLength;
            boolean extends_ = state != null && generated >= seen.length
                    && Arrays.equals(tokens, promptLength, promptLength + seen.length, seen, 0, seen.length);
            int from = seen.length;
            if (!extends_) {
                state = constraint.start();
                from = 0;
            }
            for (int i = from; i < generated; i++) {
                if (!state.advance(tokens[promptLength + i])) {
                    state = null;
                    break;
                }
            }
            seen = Arrays.copyOfRange(tokens, promptLength, tokens.length);
            return state;
        }
    }
}
