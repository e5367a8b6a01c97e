package dev.sextant.plugins.decoders;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Operations on one row of next-token scores (logits). {@code -Infinity} marks a removed token. */
final class Scores {

    private Scores() {
    }

    /** The highest-scoring id, the lowest id among ties; -1 if no score is above -Infinity. */
    static int argmax(float[] scores) {
        int best = -1;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > bestScore) {
                bestScore = scores[i];
                best = i;
            }
        }
        return best;
    }

    /** The largest score, or -Infinity if there is none. */
    static float max(float[] scores) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : scores) {
            if (v > max) {
                max = v;
            }
        }
        return max;
    }

    /**
     * Draws an id with probability softmax(scores).
     *
     * @throws IllegalArgumentException if no score is above -Infinity
     */
    static int draw(float[] scores, SplittableRandom random) {
        float max = max(scores);
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every token's score is -Infinity: there is nothing to sample");
        }
        if (max == Float.POSITIVE_INFINITY) {
            return argmax(scores);
        }
        double[] weights = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            double w = scores[i] > Float.NEGATIVE_INFINITY ? Math.exp(scores[i] - max) : 0;
            weights[i] = w;
            total += w;
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left u at the very top
    }

    /** Probabilities softmax(scores) of the ids in {@code ids}, in that order, over all of scores. */
    static double[] probabilities(float[] scores, int[] ids) {
        float max = max(scores);
        double total = 0;
        for (float v : scores) {
            if (v > Float.NEGATIVE_INFINITY) {
                total += Math.exp(v - max);
            }
        }
        double[] p = new double[ids.length];
        for (int j = 0; j < ids.length; j++) {
            p[j] = Math.exp(scores[ids[j]] - max) / total;
        }
        return p;
    }

    /**
     * The ids whose score is above -Infinity, highest score first, ties by ascending id (so the
     * order, and every warper built on it, is deterministic).
     */
    static int[] idsByScoreDescending(float[] scores) {
        long[] keys = new long[scores.length];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > Float.NEGATIVE_INFINITY) {
                // High half: the score's bits flipped to sort descending; low half: the id.
                keys[n++] = ((long) ~sortable(scores[i]) << 32) | i;
            }
        }
        Arrays.sort(keys, 0, n);
        int[] ids = new int[n];
        for (int j = 0; j < n; j++) {
            ids[j] = (int) keys[j];
        }
        return ids;
    }

    /** An int whose signed order is the float order. */
    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * Draws an id with the given probabilities (which need not add up to exactly 1).
     *
     * @throws IllegalArgumentException if no probability is above 0
     */
    static int drawFrom(double[] probabilities, SplittableRandom random) {
        double total = 0;
        for (double p : probabilities) {
            total += p;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("every token's probability is 0: there is nothing to sample");
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] > 0) {
                cumulative += probabilities[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left u at the very top
    }
}
