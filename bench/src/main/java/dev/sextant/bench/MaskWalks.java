package dev.sextant.bench;

import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.model.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random walks through constraints' token masks, timing each step ({@code ConstraintState.allowed}
 * plus {@code advance}): uniform among the allowed tokens, the end taken with probability 1/4 once
 * allowed, at most {@link #MAX_STEPS} steps. A state's mask is computed on its first visit and cached,
 * so the first walk of a constraint pays for the states it meets first and later walks mostly hit the
 * cache; the two are kept apart. Applying a mask to logits (a pass over the vocabulary) is left out.
 */
final class MaskWalks {

    static final int MAX_STEPS = 120;

    private final List<Double> firstWalks = new ArrayList<>();
    private final List<Double> laterWalks = new ArrayList<>();

    /** Walks {@code walks} times through {@code constraint}, adding each step's time in µs. */
    void walk(Constraint constraint, ModelInfo info, int walks, SplittableRandom random) {
        int size = constraint.vocabulary().size();
        long[] bits = new long[(size + 63) / 64];
        for (int walk = 0; walk < walks; walk++) {
            ConstraintState state = constraint.start();
            for (int step = 0; step < MAX_STEPS; step++) {
                long s0 = System.nanoTime();
                state.allowed(bits);
                int token = pick(bits, size, info, state.complete(), random);
                boolean end = token < 0 || info.eosTokenIds().contains(token);
                if (!end) {
                    state.advance(token);
                }
                (walk == 0 ? firstWalks : laterWalks).add((System.nanoTime() - s0) / 1e3);
                if (end) {
                    break;
                }
            }
        }
    }

    /** Every step's time, µs. */
    double[] all() {
        double[] all = new double[firstWalks.size() + laterWalks.size()];
        int i = 0;
        for (double d : firstWalks) {
            all[i++] = d;
        }
        for (double d : laterWalks) {
            all[i++] = d;
        }
        return all;
    }

    int steps() {
        return firstWalks.size() + laterWalks.size();
    }

    double firstWalksMean() {
        return mean(firstWalks);
    }

    double laterWalksMean() {
        return mean(laterWalks);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** A uniformly chosen allowed token; the end of text, when allowed, with probability 1/4; -1 if none. */
    private static int pick(long[] bits, int size, ModelInfo info, boolean complete, SplittableRandom random) {
        if (complete && random.nextInt(4) == 0) {
            return info.eosTokenIds().iterator().next();
        }
        int count = 0;
        for (long word : bits) {
            count += Long.bitCount(word);
        }
        List<Integer> ends = new ArrayList<>();
        for (int id : info.eosTokenIds()) {
            if (id < size && (bits[id >>> 6] & (1L << id)) != 0) {
                ends.add(id);
            }
        }
        count -= ends.size();
        if (count <= 0) {
            return ends.isEmpty() ? -1 : ends.get(0);
        }
        int k = random.nextInt(count);
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                int id = w * 64 + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (ends.contains(id)) {
                    continue;
                }
                if (k-- == 0) {
                    return id;
                }
            }
        }
        return -1;
    }
}
