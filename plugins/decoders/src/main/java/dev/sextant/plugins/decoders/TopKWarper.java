package dev.sextant.plugins.decoders;

import java.util.Arrays;

/**
 * Keeps the {@code k} highest-scoring tokens. As in Hugging Face, a token tied with the k-th score
 * is kept too.
 */
record TopKWarper(int k) implements LogitsWarper {

    TopKWarper {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
    }

    @Override
    public void warp(float[] scores) {
        if (k >= scores.length) {
            return;
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float kth = sorted[sorted.length - k];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kth) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "top-k=" + k;
    }
}
