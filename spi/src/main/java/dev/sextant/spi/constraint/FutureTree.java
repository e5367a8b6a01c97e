package dev.sextant.spi.constraint;

/**
 * The prefixes sampled after one prompt (ASAp's prefix tree): each visit records how much of the model's
 * probability the constraint allowed at a prefix, refreshes that prefix's estimate from its children and
 * carries the change up to the root. Callers hold the tree's monitor ({@code synchronized (tree)}) around
 * every call, so generations of the same prompt may share it; new nodes are counted by the store, which
 * may refuse them.
 */
final class FutureTree {

    /**
     * The least estimate turned into a score offset ({@code log} of it is about -690): an allowed token
     * the samples so far found hopeless is made very unlikely but never banned, so masks stay exact.
     */
    static final double LEAST_ESTIMATE = 1e-300;

    private final ExpectedFutures store;
    private final FutureNode root = new FutureNode(null, -1);

    /** Whether the store dropped this tree; guarded by the store's lock. */
    boolean dropped;
    /** How many nodes the store counts for this tree; guarded by the store's lock. */
    int nodes = 1;

    FutureTree(ExpectedFutures store) {
        this.store = store;
    }

    FutureNode root() {
        return root;
    }

    /**
     * The child of {@code node} reached by {@code token}, made if missing and the store has room.
     *
     * @param probability the token's probability after {@code node}, or NaN if not at hand
     * @return the child, or null when it is missing and the store refused a new node
     */
    FutureNode child(FutureNode node, int token, double probability) {
        FutureNode child = node.child(token);
        if (child == null) {
            if (!store.reserve(this)) {
                return null;
            }
            child = new FutureNode(node, token);
            node.add(child);
        }
        if (Double.isNaN(child.probability) && !Double.isNaN(probability)) {
            // the link becomes known: the parent now counts what was learned below it
            double before = node.estimate();
            child.probability = probability;
            node.shortfall += probability * (1.0 - child.estimate());
            carryUp(node, before);
        }
        return child;
    }

    /**
     * Records a visit of {@code node} and weighs its allowed tokens by what is known of their futures.
     *
     * @param masked the scores after the constraint's mask ({@code -Infinity} for tokens it bans), to
     *     which {@code log(estimate)} of each seen child is added
     * @param logNormaliser {@code log(sum(exp(scores)))} of the scores before the mask, finite
     */
    void visit(FutureNode node, float[] masked, double logNormaliser) {
        double before = node.estimate();
        double allowed = 0;
        for (float score : masked) {
            if (score > Float.NEGATIVE_INFINITY) {
                allowed += Math.exp(score - logNormaliser);
            }
        }
        node.allowedMass = Math.min(1.0, allowed);
        double shortfall = 0;
        for (int i = 0; i < node.childCount(); i++) {
            FutureNode child = node.childAt(i);
            child.probability = isAllowed(masked, child.token) ? Math.exp(masked[child.token] - logNormaliser) : 0;
            shortfall += child.probability * (1.0 - child.estimate());
        }
        node.shortfall = shortfall;
        carryUp(node, before);
        for (int i = 0; i < node.childCount(); i++) {
            FutureNode child = node.childAt(i);
            double estimate = child.estimate();
            if (estimate < 1.0 && isAllowed(masked, child.token)) {
                masked[child.token] += (float) Math.log(Math.max(estimate, LEAST_ESTIMATE));
            }
        }
    }

    private static boolean isAllowed(float[] masked, int token) {
        return token < masked.length && masked[token] > Float.NEGATIVE_INFINITY;
    }

    /** Passes the change of {@code node}'s estimate from {@code before} on to its ancestors. */
    private static void carryUp(FutureNode node, double before) {
        double after = node.estimate();
        while (after != before && node.parent != null && !Double.isNaN(node.probability)) {
            FutureNode parent = node.parent;
            double parentBefore = parent.estimate();
            parent.shortfall += node.probability * (before - after);
            node = parent;
            before = parentBefore;
            after = parent.estimate();
        }
    }
}
