package dev.sextant.spi.constraint;

import java.util.Arrays;

/**
 * One generated prefix in a {@link FutureTree}: the probability mass the constraint allowed there and
 * what earlier samples learned about the prefixes one token longer. Guarded by its tree's lock.
 *
 * <p>Its expected future grammaticality is {@code allowedMass - shortfall}, where {@code shortfall} sums
 * {@code P(t) * (1 - estimate(child t))} over the children seen; a child never seen counts as 1, so the
 * estimate only ever over-approximates the probability that a text continuing here is allowed.
 */
final class FutureNode {

    private static final int[] NO_TOKENS = new int[0];
    private static final FutureNode[] NO_NODES = new FutureNode[0];

    final FutureNode parent;
    final int token;

    /**
     * The model's probability of {@link #token} after the parent's prefix, or NaN while unknown (the node
     * was made on a replay, without the parent's scores at hand); an unknown link leaves the parent's
     * estimate as if this child had not been seen, which is still an over-approximation.
     */
    double probability = Double.NaN;

    /** The model's probability mass on the tokens the constraint allows here, NaN before the first visit. */
    double allowedMass = Double.NaN;

    /** Sum over the children with a known probability of {@code probability * (1 - estimate)}. */
    double shortfall;

    // children sorted by token: most prefixes have one, a prompt's root may have thousands
    private int[] childTokens = NO_TOKENS;
    private FutureNode[] children = NO_NODES;
    private int childCount;

    FutureNode(FutureNode parent, int token) {
        this.parent = parent;
        this.token = token;
    }

    /** The expected future grammaticality: 1 before the first visit, then in [0, 1]. */
    double estimate() {
        if (Double.isNaN(allowedMass)) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, allowedMass - shortfall));
    }

    /** The child reached by {@code token}, or null if none was made. */
    FutureNode child(int token) {
        int at = Arrays.binarySearch(childTokens, 0, childCount, token);
        return at >= 0 ? children[at] : null;
    }

    /** Adds a child with a token this node has no child for. */
    void add(FutureNode child) {
        int at = -Arrays.binarySearch(childTokens, 0, childCount, child.token) - 1;
        if (childCount == childTokens.length) {
            int capacity = Math.max(1, childCount * 2);
            childTokens = Arrays.copyOf(childTokens, capacity);
            children = Arrays.copyOf(children, capacity);
        }
        System.arraycopy(childTokens, at, childTokens, at + 1, childCount - at);
        System.arraycopy(children, at, children, at + 1, childCount - at);
        childTokens[at] = child.token;
        children[at] = child;
        childCount++;
    }

    int childCount() {
        return childCount;
    }

    FutureNode childAt(int index) {
        return children[index];
    }
}
