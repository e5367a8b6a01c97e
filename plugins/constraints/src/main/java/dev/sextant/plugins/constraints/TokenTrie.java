package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.TokenBytes;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The vocabulary's byte strings as a trie laid out in preorder: node {@code n}'s children follow it and
 * its subtree ends at {@link #subtreeEnd}, so a walk that rules out a node jumps over every token that
 * starts with its bytes. Tokens sharing a node's bytes are listed at it. Immutable.
 */
final class TokenTrie {

    private final int[] label;
    private final int[] depth;
    private final int[] subtreeEnd;
    private final int[] tokensFrom;
    private final int[] tokensTo;
    private final int[] tokens;
    private final int maxDepth;

    TokenTrie(TokenBytes vocabulary) {
        int n = vocabulary.size();
        Integer[] order = new Integer[n];
        int count = 0;
        for (int id = 0; id < n; id++) {
            byte[] b = vocabulary.bytes(id);
            if (b != null && b.length > 0) {
                order[count++] = id;
            }
        }
        Integer[] ids = Arrays.copyOf(order, count);
        Arrays.sort(ids, Comparator.comparing(vocabulary::bytes, Arrays::compareUnsigned));
        tokens = new int[count];
        int capacity = 1;
        for (int id : ids) {
            capacity += vocabulary.bytes(id).length;
        }
        int[] lab = new int[capacity];
        int[] dep = new int[capacity];
        int[] end = new int[capacity];
        int[] from = new int[capacity];
        int[] to = new int[capacity];
        int nodes = 1; // node 0 is the root (no bytes)
        int[] path = new int[64];
        int pathLength = 0; // path[0..pathLength) are the nodes of the previous token's bytes
        byte[] previous = new byte[0];
        int longest = 0;
        for (int t = 0; t < count; t++) {
            byte[] b = vocabulary.bytes(ids[t]);
            tokens[t] = ids[t];
            int common = 0;
            while (common < Math.min(b.length, previous.length) && b[common] == previous[common]) {
                common++;
            }
            while (pathLength > common) {
                end[path[--pathLength]] = nodes;
            }
            if (b.length > path.length) {
                path = Arrays.copyOf(path, b.length * 2);
            }
            for (int k = common; k < b.length; k++) {
                lab[nodes] = b[k] & 0xFF;
                dep[nodes] = k + 1;
                from[nodes] = t;
                to[nodes] = t;
                path[pathLength++] = nodes++;
            }
            int node = path[b.length - 1];
            if (to[node] == from[node] || to[node] == t) {
                if (to[node] == from[node]) {
                    from[node] = t;
                }
                to[node] = t + 1;
            }
            previous = b;
            longest = Math.max(longest, b.length);
        }
        while (pathLength > 0) {
            end[path[--pathLength]] = nodes;
        }
        end[0] = nodes;
        label = Arrays.copyOf(lab, nodes);
        depth = Arrays.copyOf(dep, nodes);
        subtreeEnd = Arrays.copyOf(end, nodes);
        tokensFrom = Arrays.copyOf(from, nodes);
        tokensTo = Arrays.copyOf(to, nodes);
        maxDepth = longest;
    }

    /** Nodes, the root (0) included. */
    int nodes() {
        return label.length;
    }

    /** The byte on the edge into node {@code n} (0-255). */
    int label(int n) {
        return label[n];
    }

    /** How many bytes lead to node {@code n} (the root is 0). */
    int depth(int n) {
        return depth[n];
    }

    /** The first node after node {@code n}'s subtree. */
    int subtreeEnd(int n) {
        return subtreeEnd[n];
    }

    /** The longest token in bytes. */
    int maxDepth() {
        return maxDepth;
    }

    /** Sets the bits of the tokens whose bytes end at node {@code n}. */
    void markTokens(int n, long[] bits) {
        for (int t = tokensFrom[n]; t < tokensTo[n]; t++) {
            int id = tokens[t];
            bits[id >>> 6] |= 1L << id;
        }
    }
}
