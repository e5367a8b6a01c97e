package dev.sextant.plugins.decoders;

/**
 * Min-p sampling: removes tokens whose probability is below {@code minP} times the most likely
 * token's probability, so the cut adapts to how confident the model is.
 */
record MinPWarper(double minP) implements LogitsWarper {

    MinPWarper {
        if (!(minP > 0 && minP <= 1)) {
            throw new IllegalArgumentException("min-p must be in (0, 1], was " + minP);
        }
    }

    @Override
    public void warp(float[] scores) {
        // p_i < minP * p_max  <=>  s_i < s_max + ln(minP): no softmax needed.
        double threshold = Scores.max(scores) + Math.log(minP);
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < threshold) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "min-p=" + minP;
    }
}
