package dev.sextant.plugins.attribution;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.model.LanguageModel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The floor every method must beat: uniform random scores over the candidate tokens, normalised to
 * sum to 1 per row, seeded by the request.
 */
final class RandomAttributor implements Attributor {

    @Override
    public Attribution attribute(LanguageModel model, AttributionRequest request) throws SextantException {
        AttributionProblem problem = AttributionProblem.of(model, request);
        float[][] scores = new float[problem.rows][];
        for (int r = 0; r < problem.rows; r++) {
            SplittableRandom random = Seeds.stream(request.seed(), r);
            int[] candidates = problem.candidates(r);
            scores[r] = new float[problem.targetColumn(r)];
            double[] raw = random.doubles(candidates.length).toArray();
            double sum = java.util.Arrays.stream(raw).sum();
            for (int i = 0; i < candidates.length; i++) {
                scores[r][candidates[i]] = (float) (raw[i] / sum);
            }
        }
        return problem.result("random", Map.of("seed", request.seed()), scores, List.of());
    }
}
