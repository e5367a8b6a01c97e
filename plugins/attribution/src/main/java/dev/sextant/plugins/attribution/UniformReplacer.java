package dev.sextant.plugins.attribution;

import java.util.List;

/** Replacements drawn uniformly from the vocabulary, special tokens excluded. */
final class UniformReplacer implements Replacer {

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public Session start(AttributionProblem problem) {
        int[] samplable = problem.samplable;
        return batch -> fill(batch, samplable);
    }

    private static void fill(List<Perturbation> batch, int[] samplable) {
        for (Perturbation p : batch) {
            for (int c = 0; c < p.tokens().length; c++) {
                if (p.replaced()[c]) {
                    p.tokens()[c] = samplable[p.random().nextInt(samplable.length)];
                }
            }
        }
    }
}
