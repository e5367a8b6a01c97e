package dev.sextant.plugins.attribution;

import java.util.SplittableRandom;

/**
 * A distribution over a fixed list of token ids, built from logits, sampled by binary search on
 * its cumulative weights. One id (the token being replaced) can be excluded, so a replacement
 * always changes the text.
 */
final class Categorical {

    private final int[] ids;
    private final double[] cumulative;

    private Categorical(int[] ids, double[] cumulative) {
        this.ids = ids;
        this.cumulative = cumulative;
    }

    /** softmax(logits) restricted to {@code allowed}, without {@code excluded} (-1 for none). */
    static Categorical fromLogits(float[] logits, int[] allowed, int excluded) {
        float max = Float.NEGATIVE_INFINITY;
        for (int id : allowed) {
            if (id != excluded && id < logits.length) {
                max = Math.max(max, logits[id]);
            }
        }
        double[] cumulative = new double[allowed.length];
        double sum = 0;
        for (int i = 0; i < allowed.length; i++) {
            int id = allowed[i];
            if (id != excluded && id < logits.length) {
                sum += Math.exp(logits[id] - max);
            }
            cumulative[i] = sum;
        }
        return new Categorical(allowed, cumulative);
    }

    /** Draws an id: the first entry whose cumulative weight exceeds a uniform draw (zero-weight entries never are). */
    int sample(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return ids[lo];
    }
}
