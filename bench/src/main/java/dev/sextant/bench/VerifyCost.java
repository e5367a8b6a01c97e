package dev.sextant.bench;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import java.util.Arrays;
import java.util.List;

/**
 * What one verifying call costs against one decoding step, on one model: after a prefill, the median
 * time of {@code append} (one token) and of {@code appendAll} over k tokens, each rewound afterwards
 * (untimed) so every call starts from the same cache. Draft-then-verify decoding gains only where a
 * call over k tokens costs far less than k steps: on large models weights are read once per call
 * whatever k is; on a model small enough to sit in the CPU's caches every token costs its arithmetic.
 */
final class VerifyCost {

    /** The k measured; the last is the one reported in RESULT lines. */
    static final int[] SIZES = {1, 4, 8, 16};

    private VerifyCost() {
    }

    /**
     * @return per entry of {@link #SIZES}, the median ms of {@code appendAll} over that many tokens,
     *     after the median ms of one {@code append} at index 0 of a longer array: {@code [step, k1, k4, ...]}
     */
    static double[] measure(LanguageModel model, int[] prompt, int warmup, int rounds) throws Exception {
        double[][] samples = new double[SIZES.length + 1][rounds];
        int[] run = new int[SIZES[SIZES.length - 1]];
        for (int i = 0; i < run.length; i++) {
            run[i] = prompt[i % prompt.length];
        }
        try (DecodingState state = model.start(List.of(prompt), RunLimits.DEFAULT)) {
            for (int round = -warmup; round < rounds; round++) {
                long start = System.nanoTime();
                state.append(new int[] {run[0]});
                long took = System.nanoTime() - start;
                state.rewind(0, 1);
                if (round >= 0) {
                    samples[0][round] = took / 1e6;
                }
                for (int s = 0; s < SIZES.length; s++) {
                    int k = SIZES[s];
                    int[][] tokens = {Arrays.copyOf(run, k)};
                    start = System.nanoTime();
                    state.appendAll(tokens);
                    took = System.nanoTime() - start;
                    state.rewind(0, k);
                    if (round >= 0) {
                        samples[s + 1][round] = took / 1e6;
                    }
                }
            }
        }
        double[] medians = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            double[] sorted = samples[i].clone();
            Arrays.sort(sorted);
            medians[i] = sorted[sorted.length / 2];
        }
        return medians;
    }
}
