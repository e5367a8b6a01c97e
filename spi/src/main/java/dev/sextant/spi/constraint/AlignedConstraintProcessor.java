package dev.sextant.spi.constraint;

import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.model.ModelInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Grammar-aligned sampling: applies a {@link Constraint} like {@link ConstraintProcessor} (same masks,
 * bit for bit) and, over repeated generations from the same prompt, steers sampling towards the model's
 * distribution restricted to the constraint, {@code P(text | text allowed)}, which masking alone does not
 * give. This is ASAp, adaptive sampling with approximate expected futures (Park, Wang, Berg-Kirkpatrick,
 * Polikarpova and D'Antoni, "Grammar-Aligned Decoding", NeurIPS 2024).
 *
 * <p>Why masking is biased: it renormalises the allowed tokens at each step, so a prefix the model likes
 * is taken even when almost nothing the model would write after it is allowed. With texts {@code ab} or
 * {@code c}, {@code P(a) = 0.9}, {@code P(c) = 0.1} and {@code P(b | a) = 0.01}, masking writes {@code ab}
 * 90% of the time; the model restricted to the constraint writes it {@code 0.009 / 0.109}, 8% of the time.
 *
 * <p>What it does: {@link ExpectedFutures} keeps a tree of the prefixes sampled so far. Each prefix
 * {@code w} estimates its expected future grammaticality {@code EFG(w)}, the probability that the model
 * continues it into an allowed text: {@code EFG(w) = sum over allowed t of P(t | w) * EFG(w t)}, with
 * prefixes not sampled yet counted as 1, so each estimate over-approximates and tightens as samples
 * come in. At each step this processor records the allowed probability mass at the row's prefix (from a
 * log-softmax of the scores it receives), carries the new estimate up to the root, and adds
 * {@code log EFG(w t)} to the score of each allowed token {@code t} whose prefix was sampled before, so
 * the decoder draws {@code t} with probability proportional to {@code P(t | w) * EFG(w t)}. A token the
 * samples found hopeless is made very unlikely, never banned. Recording at every step means no hook is
 * needed at the end of a generation, and a generation cut short still teaches what it saw.
 *
 * <p>The distribution aligned to is that of the scores this processor receives: processors listed before
 * it count as part of the model. It is exact for plain sampling at temperature 1: warpers run after
 * processors and reshape the corrected distribution as they would the raw one. The first samples of a
 * prompt are as biased as masking; the bias shrinks as the tree fills. Cost per step, beyond the mask:
 * three passes over the scores (the log-softmax and the allowed mass) and a copy of them kept per row,
 * plus, under the tree's lock, a pass over the prefix's seen children and a walk up its ancestors.
 *
 * <p>Rows that go back (a beam takes another beam's tokens, a speculative draft is rewound) get exact
 * masks as {@link ConstraintProcessor} gives them, and move in the tree to their new prefix; revisiting a
 * prefix recomputes its estimate from the scores of that visit, so revisits do not skew it. A draft model
 * that runs the same processors visits the tree with its own probabilities; the target's next visit of a
 * prefix overwrites them.
 *
 * <p>One instance per generation (made by a component's {@code prepare}), as {@link ConstraintProcessor};
 * not thread-safe itself, while the {@link ExpectedFutures} it shares with other generations is.
 */
public final class AlignedConstraintProcessor implements LogitsProcessor {

    private final ConstraintProcessor mask;
    private final ExpectedFutures futures;
    private final ModelInfo model;
    private final Map<Integer, Row> rows = new HashMap<>();

    /**
     * @param constraint the texts allowed
     * @param futures the store shared by the generations of this constraint, where estimates are learned
     * @param model the model whose probabilities are estimated: trees are kept apart per model
     */
    public AlignedConstraintProcessor(Constraint constraint, ExpectedFutures futures, ModelInfo model) {
        this.mask = new ConstraintProcessor(constraint);
        this.futures = futures;
        this.model = model;
    }

    /** The constraint this processor applies. */
    public Constraint constraint() {
        return mask.constraint();
    }

    /** The store this processor learns in. */
    public ExpectedFutures futures() {
        return futures;
    }

    @Override
    public void process(int row, int[] tokens, int promptLength, float[] scores) {
        double logNormaliser = logSumExp(scores);
        mask.process(row, tokens, promptLength, scores);
        rows.computeIfAbsent(row, r -> new Row()).visit(tokens, promptLength, scores, logNormaliser);
    }

    /** {@code log(sum(exp(scores)))} in double, shifted by the largest score; NaN or infinite if they are. */
    static double logSumExp(float[] scores) {
        float max = Float.NEGATIVE_INFINITY;
        for (float score : scores) {
            max = Math.max(max, score);
        }
        if (Float.isNaN(max) || Float.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (float score : scores) {
            sum += Math.exp((double) score - max);
        }
        return max + Math.log(sum);
    }

    /** Where one row stands in its prompt's tree. */
    private final class Row {
        private int[] prompt;
        private FutureTree tree;
        /** The row's generated tokens at its last visit. */
        private int[] seen = new int[0];
        /** The node of {@link #seen}, or null when the tree had no room for it. */
        private FutureNode node;
        /** The masked scores and log-normaliser of the last visit (NaN if none): the next token's probability. */
        private float[] lastScores = new float[0];
        private double lastLogNormaliser = Double.NaN;

        void visit(int[] tokens, int promptLength, float[] masked, double logNormaliser) {
            if (tree == null || !Arrays.equals(prompt, 0, prompt.length, tokens, 0, promptLength)) {
                prompt = Arrays.copyOf(tokens, promptLength);
                tree = futures.tree(mask.constraint(), model, prompt);
                seen = new int[0];
                node = null;
                lastLogNormaliser = Double.NaN;
            }
            // a model that gave no finite score teaches nothing; the decoder reports it
            boolean usable = !Double.isNaN(logNormaliser) && !Double.isInfinite(logNormaliser);
            synchronized (tree) {
                node = locate(tokens, promptLength);
                lastLogNormaliser = Double.NaN;
                if (node != null && usable) {
                    if (lastScores.length != masked.length) {
                        lastScores = new float[masked.length];
                    }
                    System.arraycopy(masked, 0, lastScores, 0, masked.length);
                    lastLogNormaliser = logNormaliser;
                    tree.visit(node, masked, logNormaliser);
                }
            }
            seen = Arrays.copyOfRange(tokens, promptLength, tokens.length);
        }

        /** The node of the row's generated tokens: one step down from the last when they grew by one. */
        private FutureNode locate(int[] tokens, int promptLength) {
            int generated = tokens.length - promptLength;
            boolean extendsSeen = generated >= seen.length
                    && Arrays.equals(tokens, promptLength, promptLength + seen.length, seen, 0, seen.length);
            if (node != null && extendsSeen && generated == seen.length) {
                return node;
            }
            if (node != null && extendsSeen && generated == seen.length + 1) {
                int token = tokens[tokens.length - 1];
                return tree.child(node, token, probability(token));
            }
            // went back or jumped ahead: walk from the root, the links' probabilities unknown until revisited
            FutureNode at = tree.root();
            for (int i = promptLength; i < tokens.length && at != null; i++) {
                at = tree.child(at, tokens[i], Double.NaN);
            }
            return at;
        }

        /** The probability of {@code token} at the last visit, 0 if the mask banned it. */
        private double probability(int token) {
            if (Double.isNaN(lastLogNormaliser)) {
                return Double.NaN;
            }
            if (token >= lastScores.length || lastScores[token] == Float.NEGATIVE_INFINITY) {
                return 0;
            }
            return Math.exp(lastScores[token] - lastLogNormaliser);
        }
    }
}
