package dev.sextant.plugins.attribution;

/** Probabilities, ranks and entropies read from one logits row, without building a softmax array. */
final class Scores {

    private Scores() {
    }

    /** The softmax probability of {@code id}. */
    static double probability(float[] logits, int id) {
        float max = max(logits);
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        return Math.exp(logits[id] - max) / sum;
    }

    /** Whether {@code id} is among the {@code k} largest logits (fewer than k logits are larger). */
    static boolean inTopK(float[] logits, int id, int k) {
        float target = logits[id];
        int larger = 0;
        for (float x : logits) {
            if (x > target && ++larger >= k) {
                return false;
            }
        }
        return true;
    }

    /** Entropy in nats of the softmax of {@code logits}. */
    static double entropy(float[] logits) {
        float max = max(logits);
        double sum = 0;
        double weighted = 0;
        for (float x : logits) {
            double e = Math.exp(x - max);
            sum += e;
            weighted += e * (x - max);
        }
        return Math.log(sum) - weighted / sum;
    }

    static float max(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        return max;
    }
}
