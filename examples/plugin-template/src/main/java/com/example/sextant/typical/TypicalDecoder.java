package com.example.sextant.typical;

import dev.sextant.spi.decode.StepDecoder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Locally typical sampling. At each step the model's next-token distribution p has an entropy H,
 * the surprise ({@code -log p}) a token would have on average. Tokens whose own surprise is
 * closest to H are the "typical" ones; they are kept, closest first, until they hold {@code mass}
 * of the probability, and the next token is drawn from them. Unlike top-p this can drop the single
 * most likely token when it is far more predictable than the model usually is, which avoids
 * degenerate, repetitive text.
 *
 * <p>{@link StepDecoder} runs the loop (prompts, processors, stop rules, streaming); this class only
 * chooses one token from one row's scores. It keeps no per-request state, so one instance serves
 * concurrent requests.
 */
public final class TypicalDecoder extends StepDecoder {

    private final double mass;
    private final double temperature;
    private final long seed;

    public TypicalDecoder(double mass, double temperature, long seed) {
        this.mass = mass;
        this.temperature = temperature;
        this.seed = seed;
    }

    @Override
    protected int choose(float[] scores, SplittableRandom random) {
        if (temperature != 1) {
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) (scores[i] / temperature);
            }
        }
        if (mass < 1) {
            keepTypical(scores, mass);
        }
        return draw(scores, random);
    }

    @Override
    protected long defaultSeed() {
        return seed;
    }

    /**
     * Sets to -Infinity every token outside the typical set. Tokens tied with the last one kept are
     * kept too, as in Hugging Face's {@code TypicalLogitsWarper}.
     */
    static void keepTypical(float[] scores, double mass) {
        double[] logProbs = logSoftmax(scores);
        double entropy = 0;
        for (double lp : logProbs) {
            if (lp > Double.NEGATIVE_INFINITY) {
                entropy -= Math.exp(lp) * lp;
            }
        }
        double[] distance = new double[scores.length];
        Integer[] order = new Integer[scores.length];
        int candidates = 0;
        for (int i = 0; i < scores.length; i++) {
            if (logProbs[i] > Double.NEGATIVE_INFINITY) {
                distance[i] = Math.abs(-logProbs[i] - entropy);
                order[candidates++] = i;
            }
        }
        order = Arrays.copyOf(order, candidates);
        // A stable sort: ties stay in id order, so the result does not depend on the JDK.
        Arrays.sort(order, Comparator.comparingDouble(i -> distance[i]));
        double cumulative = 0;
        int kept = 0;
        while (kept < order.length && cumulative < mass) {
            cumulative += Math.exp(logProbs[order[kept++]]);
        }
        double limit = distance[order[kept - 1]];
        for (int j = kept; j < order.length; j++) {
            if (distance[order[j]] > limit) {
                scores[order[j]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** log softmax(scores); -Infinity stays -Infinity. */
    static double[] logSoftmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : scores) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : scores) {
            sum += Math.exp(v - max);
        }
        double logNorm = max + Math.log(sum);
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] - logNorm;
        }
        return out;
    }

    /** Draws an id with probability softmax(scores). */
    static int draw(float[] scores, SplittableRandom random) {
        double[] logProbs = logSoftmax(scores);
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < logProbs.length; i++) {
            if (logProbs[i] > Double.NEGATIVE_INFINITY) {
                cumulative += Math.exp(logProbs[i]);
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("every token's score is -Infinity: there is nothing to sample");
        }
        return last; // rounding left the total a hair below u
    }

    @Override
    public String toString() {
        return "typical(mass=" + mass + ", temperature=" + temperature + ", seed=" + seed + ")";
    }
}
