package dev.sextant.plugins.attribution;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.AttributionRequest;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.model.LanguageModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ReAGent (Zhao and Shan, 2024): every probe starts from random importance scores, repeatedly
 * replaces a random share of the input, and moves each token's score by how much the target's
 * probability changed; it stops when keeping only its top tokens still puts the target among the
 * model's top predictions. The result is the mean over converged probes of the softmax scores.
 *
 * <p>The algorithm is inseq's; the schedule is ours. Each round scores, in one batched model call,
 * the next perturbation of every running probe together with the stopping check of every probe
 * updated in the round before; a probe whose check passes leaves, and its already-scored next
 * perturbation is dropped. Probes of all target tokens of a generation share the rounds. Because
 * each probe draws from its own random streams, the scores equal those of running every probe
 * alone, step by step, as inseq does.
 */
final class ReagentAttributor implements Attributor {

    private final ReagentConfig config;
    private final Replacer replacer;

    ReagentAttributor(ReagentConfig config, Replacer replacer) {
        this.config = config;
        this.replacer = replacer;
    }

    @Override
    public Attribution attribute(LanguageModel model, AttributionRequest request) throws SextantException {
        AttributionProblem problem = AttributionProblem.of(model, request);
        Replacer.Session session = replacer.start(problem);
        List<Probe> probes = new ArrayList<>();
        for (int r = 0; r < problem.rows; r++) {
            int[] candidates = problem.candidates(r);
            for (int p = 0; p < config.probes(); p++) {
                probes.add(new Probe(r, candidates, Seeds.stream(request.seed(), r, p, 0),
                        Seeds.stream(request.seed(), r, p, 1)));
            }
        }
        double[] original = new double[problem.rows];
        for (int r = 0; r < problem.rows; r++) {
            original[r] = problem.originalProbability(r);
        }
        long passes = 0;
        long sequences = 0;
        List<Probe> checking = new ArrayList<>();
        List<Probe> updating = new ArrayList<>();
        while (true) {
            checking.clear();
            updating.clear();
            for (Probe probe : probes) {
                if (probe.finished) {
                    continue;
                }
                if (probe.awaitingCheck && probe.steps < config.minProbeSteps() && probe.steps < config.maxProbeSteps()) {
                    probe.awaitingCheck = false;
                } else if (probe.awaitingCheck) {
                    checking.add(probe);
                }
                if (probe.steps < config.maxProbeSteps()) {
                    updating.add(probe);
                }
            }
            if (checking.isEmpty() && updating.isEmpty()) {
                break;
            }
            request.limits().check();
            List<Perturbation> batch = new ArrayList<>(checking.size() + updating.size());
            for (Probe probe : checking) {
                batch.add(probe.check(problem.prefix(probe.row), keep(probe.candidates.length)));
            }
            for (Probe probe : updating) {
                batch.add(probe.perturbation(problem.prefix(probe.row), config.replacingRatio()));
            }
            session.fill(batch);
            float[][] logits = score(model, batch, request);
            passes += (batch.size() + config.maxBatch() - 1) / config.maxBatch();
            sequences += batch.size();
            for (int i = 0; i < checking.size(); i++) {
                Probe probe = checking.get(i);
                probe.awaitingCheck = false;
                if (Scores.inTopK(logits[i], problem.targetId(probe.row), config.stopTopK())) {
                    probe.converged = true;
                    probe.finished = true;
                } else if (probe.steps >= config.maxProbeSteps()) {
                    probe.finished = true;
                }
            }
            for (int i = 0; i < updating.size(); i++) {
                Probe probe = updating.get(i);
                if (probe.finished) {
                    continue;
                }
                float[] row = logits[checking.size() + i];
                probe.update(batch.get(checking.size() + i).replaced(), original[probe.row],
                        Scores.probability(row, problem.targetId(probe.row)));
                probe.awaitingCheck = true;
            }
        }
        return result(problem, probes, passes, sequences);
    }

    private float[][] score(LanguageModel model, List<Perturbation> batch, AttributionRequest request)
            throws SextantException {
        float[][] out = new float[batch.size()][];
        for (int from = 0; from < batch.size(); from += config.maxBatch()) {
            int to = Math.min(batch.size(), from + config.maxBatch());
            List<int[]> sequences = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                sequences.add(batch.get(i).tokens());
            }
            float[][] logits = model.nextTokenLogits(sequences, request.limits());
            System.arraycopy(logits, 0, out, from, logits.length);
        }
        return out;
    }

    /** How many tokens the stopping check keeps for a row with {@code candidates} candidates. */
    int keep(int candidates) {
        if (config.keepTopN() > 0) {
            return config.keepTopN();
        }
        return (int) Math.ceil(config.keepTopRatio() * candidates);
    }

    private Attribution result(AttributionProblem problem, List<Probe> probes, long passes, long sequences) {
        float[][] scores = new float[problem.rows][];
        List<String> warnings = new ArrayList<>();
        int[] convergedPerRow = new int[problem.rows];
        long steps = 0;
        for (int r = 0; r < problem.rows; r++) {
            scores[r] = new float[problem.targetColumn(r)];
            List<Probe> converged = new ArrayList<>();
            List<Probe> all = new ArrayList<>();
            for (Probe probe : probes) {
                if (probe.row == r) {
                    all.add(probe);
                    steps += probe.steps;
                    if (probe.converged) {
                        converged.add(probe);
                    }
                }
            }
            convergedPerRow[r] = converged.size();
            List<Probe> used = converged;
            if (converged.isEmpty()) {
                used = all;
                warnings.add("target token " + (problem.targetFrom + r) + " ('" + problem.model.tokenizer()
                        .token(problem.targetId(r)) + "'): none of " + all.size() + " probes converged within "
                        + config.maxProbeSteps() + " steps; its scores are the mean of all probes");
            }
            for (Probe probe : used) {
                double[] importance = probe.importance();
                for (int i = 0; i < probe.candidates.length; i++) {
                    scores[r][probe.candidates[i]] += (float) (importance[i] / used.size());
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("replacer", replacer.name());
        settings.put("probes", config.probes());
        settings.put("replacing_ratio", config.replacingRatio());
        settings.put("keep_top_n", config.keepTopN());
        settings.put("keep_top_ratio", config.keepTopRatio());
        settings.put("stop_top_k", config.stopTopK());
        settings.put("max_probe_steps", config.maxProbeSteps());
        settings.put("min_probe_steps", config.minProbeSteps());
        settings.put("seed", problem.request.seed());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model_calls", passes);
        run.put("sequences_scored", sequences);
        run.put("probe_steps", steps);
        run.put("converged_probes", java.util.Arrays.stream(convergedPerRow).boxed().toList());
        settings.put("run", run);
        return problem.result("reagent", settings, scores, warnings);
    }
}
