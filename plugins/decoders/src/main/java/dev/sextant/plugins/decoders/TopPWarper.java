package dev.sextant.plugins.decoders;

/**
 * Nucleus sampling: keeps the smallest set of most likely tokens whose probabilities add up to at
 * least {@code p} (the token that crosses {@code p} is kept), ties ordered by id.
 */
record TopPWarper(double p) implements LogitsWarper {

    TopPWarper {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], was " + p);
        }
    }

    @Override
    public void warp(float[] scores) {
        int[] order = Scores.idsByScoreDescending(scores);
        double[] probs = Scores.probabilities(scores, order);
        double cumulative = 0;
        int kept = 0;
        while (kept < order.length && cumulative < p) {
            cumulative += probs[kept++];
        }
        for (int j = kept; j < order.length; j++) {
            scores[order[j]] = Float.NEGATIVE_INFINITY;
        }
    }

    @Override
    public String toString() {
        return "top-p=" + p;
    }
}
