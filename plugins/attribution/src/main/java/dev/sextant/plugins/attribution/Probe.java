package dev.sextant.plugins.attribution;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One ReAGent probe for one target token: importance scores on the logit scale over the row's
 * candidate columns, updated from perturbations until the stopping check passes. Two random
 * streams (perturbing, checking) make its course independent of batching.
 */
final class Probe {

    /** Keeps {@code logit(0.5 d + 0.5)} finite when a probability moves by (almost) all of 1. */
    private static final double EDGE = 1e-7;

    final int row;
    final int[] candidates;
    final double[] logitScores;
    final SplittableRandom perturbRandom;
    final SplittableRandom checkRandom;
    int steps;
    boolean converged;
    boolean finished;
    boolean awaitingCheck;

    Probe(int row, int[] candidates, SplittableRandom perturbRandom, SplittableRandom checkRandom) {
        this.row = row;
        this.candidates = candidates;
        this.perturbRandom = perturbRandom;
        this.checkRandom = checkRandom;
        this.logitScores = new double[candidates.length];
        for (int i = 0; i < logitScores.length; i++) {
            logitScores[i] = perturbRandom.nextDouble();
        }
        // nothing to perturb (a prefix of special tokens only): nothing to learn either
        this.finished = candidates.length == 0;
    }

    /** Replaces each candidate with probability {@code ratio}. */
    Perturbation perturbation(int[] prefix, double ratio) {
        boolean[] replaced = new boolean[prefix.length];
        for (int c : candidates) {
            replaced[c] = perturbRandom.nextDouble() < ratio;
        }
        return new Perturbation(prefix, replaced, perturbRandom);
    }

    /** The stopping check's input: every candidate replaced except the {@code keep} most important. */
    Perturbation check(int[] prefix, int keep) {
        boolean[] replaced = new boolean[prefix.length];
        for (int c : candidates) {
            replaced[c] = true;
        }
        for (int i : topIndices(keep)) {
            replaced[candidates[i]] = false;
        }
        return new Perturbation(prefix, replaced, checkRandom);
    }

    /**
     * One update: {@code d = Δp} on replaced and {@code -Δp} on kept candidates, where
     * {@code Δp = p(original) - p(perturbed)}; {@code s += logit(0.5 d + 0.5)}.
     */
    void update(boolean[] replaced, double originalProbability, double perturbedProbability) {
        double delta = originalProbability - perturbedProbability;
        for (int i = 0; i < candidates.length; i++) {
            double d = replaced[candidates[i]] ? delta : -delta;
            double q = Math.min(1 - EDGE, Math.max(EDGE, 0.5 * d + 0.5));
            logitScores[i] += Math.log(q / (1 - q));
        }
        steps++;
    }

    /** softmax of the scores over the candidates. */
    double[] importance() {
        double max = Arrays.stream(logitScores).max().orElse(0);
        double[] out = new double[logitScores.length];
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(logitScores[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** Indices (into candidates) of the {@code n} highest scores; ties go to the earlier position. */
    int[] topIndices(int n) {
        Integer[] order = new Integer[logitScores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(logitScores[b], logitScores[a]));
        int k = Math.min(n, order.length);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
