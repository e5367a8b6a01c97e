package dev.sextant.spi.constraint;

import dev.sextant.spi.model.ModelInfo;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * What grammar-aligned sampling ({@link AlignedConstraintProcessor}) learns from earlier samples, kept
 * across generations: one prefix tree per constraint, model and prompt (token ids), so that every
 * request with that prompt samples closer to the model's distribution restricted to the constraint.
 * Create one per processor component and share it by all its requests; thread-safe.
 *
 * <p><b>Memory bound.</b> The store holds at most {@link #maxNodes()} prefixes (tree nodes, the roots
 * included) over all its trees, about 100 bytes each (measured on sampled texts, where most prefixes
 * have one child, on a 64-bit JVM with compressed references). When a new prefix would pass the bound,
 * the trees of the least recently used prompts are dropped, whole, until it fits; a prompt counts as
 * used when a generation starts on it. When the prompt's own tree is the only one left, it stops
 * growing: its generations still get exact masks and the estimates already learned, but new prefixes
 * are not recorded. A generation still running on a dropped tree keeps it, without new nodes, until it
 * ends.
 */
public final class ExpectedFutures {

    /** The default bound: about 25 MB, or a thousand samples of 250 tokens that share no prefix. */
    public static final int DEFAULT_MAX_NODES = 250_000;

    private final int maxNodes;
    // access order: the first entry is the least recently used prompt
    private final LinkedHashMap<Key, FutureTree> trees = new LinkedHashMap<>(16, 0.75f, true);
    private int nodes;

    /** A store of at most {@link #DEFAULT_MAX_NODES} prefixes. */
    public ExpectedFutures() {
        this(DEFAULT_MAX_NODES);
    }

    /**
     * @param maxNodes the most prefixes kept over all prompts, at least 1
     */
    public ExpectedFutures(int maxNodes) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be at least 1, was " + maxNodes);
        }
        this.maxNodes = maxNodes;
    }

    /** The most prefixes kept over all prompts. */
    public int maxNodes() {
        return maxNodes;
    }

    /** How many prefixes are kept now, never more than {@link #maxNodes()}. */
    public synchronized int nodes() {
        return nodes;
    }

    /** How many prompts have a tree now. */
    public synchronized int prompts() {
        return trees.size();
    }

    /** Forgets every prompt (e.g. after the model or constraint changed in place). */
    public synchronized void clear() {
        for (FutureTree tree : trees.values()) {
            tree.dropped = true;
        }
        trees.clear();
        nodes = 0;
    }

    /** The tree of a prompt, made (dropping the least recently used if needed) on first use. */
    synchronized FutureTree tree(Constraint constraint, ModelInfo model, int[] prompt) {
        Key key = new Key(constraint, model, prompt);
        FutureTree tree = trees.get(key);
        if (tree == null) {
            makeRoom(null);
            tree = new FutureTree(this);
            trees.put(key, tree);
            nodes++;
        }
        return tree;
    }

    /**
     * Counts one more node for {@code tree}, dropping the least recently used other trees if needed.
     *
     * @return false, counting nothing, when the tree was dropped or is alone at the bound
     */
    synchronized boolean reserve(FutureTree tree) {
        if (tree.dropped || !makeRoom(tree)) {
            return false;
        }
        nodes++;
        tree.nodes++;
        return true;
    }

    /** Drops least recently used trees other than {@code keep} until one more node fits. */
    private boolean makeRoom(FutureTree keep) {
        Iterator<FutureTree> eldest = trees.values().iterator();
        while (nodes >= maxNodes) {
            FutureTree next = null;
            while (eldest.hasNext() && next == null) {
                FutureTree candidate = eldest.next();
                if (candidate != keep) {
                    next = candidate;
                }
            }
            if (next == null) {
                return false;
            }
            eldest.remove();
            next.dropped = true;
            nodes -= next.nodes;
        }
        return true;
    }

    /** A prompt's identity: the constraint (by identity), the model and the prompt's tokens. */
    private static final class Key {
        private final Constraint constraint;
        private final ModelInfo model;
        private final int[] prompt;
        private final int hash;

        Key(Constraint constraint, ModelInfo model, int[] prompt) {
            this.constraint = constraint;
            this.model = model;
            this.prompt = prompt.clone();
            this.hash = (System.identityHashCode(constraint) * 31 + model.hashCode()) * 31 + Arrays.hashCode(prompt);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.constraint == constraint && key.model.equals(model)
                    && Arrays.equals(key.prompt, prompt);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Override
    public String toString() {
        return "expected futures (" + nodes() + " of " + maxNodes + " prefixes, " + prompts() + " prompts)";
    }

    /** Whether a prompt has a tree now; does not count as a use. */
    synchronized boolean holds(Constraint constraint, ModelInfo model, int[] prompt) {
        return trees.containsKey(new Key(constraint, model, prompt));
    }
}
