package dev.sextant.plugins.attribution;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.LanguageModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Occlusion: a token's importance is the drop in the target's probability when that one token is
 * left out (or replaced by a baseline token). One perturbed sequence per candidate column and
 * target row, all scored in batches.
 */
final class OcclusionAttributor implements Attributor {

    private final OcclusionConfig config;
    private final boolean remove;

    OcclusionAttributor(OcclusionConfig config) throws ConfigException {
        this.config = config;
        this.remove = switch (config.mode()) {
            case "remove" -> true;
            case "replace" -> false;
            default -> throw new ConfigException("mode", "unknown mode '" + config.mode()
                    + "'; choose remove (leave-one-out) or replace (with the baseline token)");
        };
        if (remove && config.baseline() != null) {
            throw new ConfigException("baseline", "baseline is used only with mode: replace");
        }
    }

    @Override
    public Attribution attribute(LanguageModel model, AttributionRequest request) throws SextantException {
        AttributionProblem problem = AttributionProblem.of(model, request);
        int baseline = remove ? -1 : baselineId(model);
        List<int[]> sequences = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        for (int r = 0; r < problem.rows; r++) {
            int[] prefix = problem.prefix(r);
            for (int c : problem.candidates(r)) {
                sequences.add(remove ? without(prefix, c) : replaced(prefix, c, baseline));
                where.add(new int[] {r, c});
            }
        }
        float[][] scores = new float[problem.rows][];
        for (int r = 0; r < problem.rows; r++) {
            scores[r] = new float[problem.targetColumn(r)];
        }
        long calls = 0;
        for (int from = 0; from < sequences.size(); from += config.maxBatch()) {
            request.limits().check();
            int to = Math.min(sequences.size(), from + config.maxBatch());
            float[][] logits = model.nextTokenLogits(sequences.subList(from, to), request.limits());
            calls++;
            for (int i = from; i < to; i++) {
                int r = where.get(i)[0];
                scores[r][where.get(i)[1]] = (float) (problem.originalProbability(r)
                        - Scores.probability(logits[i - from], problem.targetId(r)));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", config.mode());
        if (!remove) {
            settings.put("baseline_id", baseline);
        }
        settings.put("run", Map.of("model_calls", calls, "sequences_scored", (long) sequences.size()));
        return problem.result("occlusion", settings, scores, List.of());
    }

    private int baselineId(LanguageModel model) throws InputException {
        if (config.baseline() == null) {
            int pad = model.info().padTokenId();
            return pad >= 0 ? pad : model.info().eosTokenIds().stream().findFirst().orElse(0);
        }
        Encoding encoding = model.tokenizer().encode(config.baseline(), false);
        if (encoding.size() != 1) {
            throw new InputException("occlusion baseline '" + config.baseline() + "' is " + encoding.size()
                    + " tokens for model '" + model.info().name() + "'; it must be exactly one");
        }
        return encoding.ids()[0];
    }

    private static int[] without(int[] prefix, int column) {
        int[] out = new int[prefix.length - 1];
        System.arraycopy(prefix, 0, out, 0, column);
        System.arraycopy(prefix, column + 1, out, column, prefix.length - column - 1);
        return out;
    }

    private static int[] replaced(int[] prefix, int column, int id) {
        int[] out = prefix.clone();
        out[column] = id;
        return out;
    }
}
