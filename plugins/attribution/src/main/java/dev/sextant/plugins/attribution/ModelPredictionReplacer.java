package dev.sextant.plugins.attribution;

import dev.sextant.spi.SextantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replacements drawn from the attributed model's own prediction at each position: position
 * {@code c} gets a token sampled from {@code P(. | tokens before c)} of the original text (its
 * original token excluded). The predictions are read once per attribution, in one batched call;
 * position 0, which nothing predicts, falls back to uniform.
 */
final class ModelPredictionReplacer implements Replacer {

    @Override
    public String name() {
        return "model";
    }

    @Override
    public Session start(AttributionProblem problem) throws SextantException {
        int last = problem.targetColumn(problem.rows - 1);
        List<int[]> prefixes = new ArrayList<>();
        for (int c = 1; c < last; c++) {
            prefixes.add(Arrays.copyOf(problem.ids, c));
        }
        float[][] logits = prefixes.isEmpty() ? new float[0][] : problem.model.nextTokenLogits(prefixes,
                problem.request.limits());
        Categorical[] at = new Categorical[last];
        for (int c = 1; c < last; c++) {
            at[c] = Categorical.fromLogits(logits[c - 1], problem.samplable, problem.ids[c]);
        }
        int[] samplable = problem.samplable;
        return batch -> {
            for (Perturbation p : batch) {
                for (int c = 0; c < p.tokens().length; c++) {
                    if (p.replaced()[c]) {
                        p.tokens()[c] = c == 0 ? samplable[p.random().nextInt(samplable.length)]
                                : at[c].sample(p.random());
                    }
                }
            }
        };
    }
}
