package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.TokenBytes;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The vocabulary's byte strings as a trie laid out in preorder: node {@code n}'s children follow it and
 * its subtree ends at {@link #subtreeEnd}, so a walk that rules out a node jumps over every token that
 * starts with its bytes. Tokens sharing a node's bytes are listed at it. Immutable.
 *
 * <p>It also slices the vocabulary by <em>plain</em> tokens (LLGuidance's token slices, narrowed to one
 * class): whole UTF-8 text of characters that a JSON string may hold as they are ({@link #plain}).
 * From a state where any {@code L} plain characters keep the text completable (inside a string), every
 * plain token of at most {@code L} characters is allowed at once ({@link #plainUpTo}), and a walk skips
 * the subtrees that hold nothing else ({@link #plainMax}): most of a large vocabulary is plain.
 */
final class TokenTrie {

    private final int[] label;
    private final int[] depth;
    private final int[] subtreeEnd;
    private final int[] tokensFrom;
    private final int[] tokensTo;
    private final int[] tokens;
    private final int maxDepth;
    /** Per node: the most characters of a token in its subtree when all of them are plain, else MAX_VALUE. */
    private final int[] plainMax;
    /** {@code plainUpTo[L]}: the plain tokens of at most L characters, as token bits. */
    private final long[][] plainUpTo;

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
        int[] parent = new int[capacity];
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
                parent[nodes] = k == 0 ? 0 : path[k - 1];
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
        // plain lengths: per token, then the most per subtree (children follow parents in preorder)
        int[] length = new int[vocabulary.size()];
        int longestPlain = 0;
        for (int t = 0; t < count; t++) {
            length[tokens[t]] = plainLength(vocabulary.bytes(tokens[t]));
            longestPlain = Math.max(longestPlain, length[tokens[t]]);
        }
        plainMax = new int[nodes];
        for (int node = nodes - 1; node >= 1; node--) {
            for (int t = from[node]; t < to[node]; t++) {
                int l = length[tokens[t]];
                plainMax[node] = l < 0 ? Integer.MAX_VALUE : Math.max(plainMax[node], l);
            }
            plainMax[parent[node]] = Math.max(plainMax[parent[node]], plainMax[node]);
        }
        int words = (vocabulary.size() + 63) / 64;
        plainUpTo = new long[longestPlain + 1][];
        plainUpTo[0] = new long[words];
        for (int l = 1; l <= longestPlain; l++) {
            plainUpTo[l] = plainUpTo[l - 1].clone();
            for (int t = 0; t < count; t++) {
                int id = tokens[t];
                if (length[id] == l) {
                    plainUpTo[l][id >>> 6] |= 1L << id;
                }
            }
        }
    }

    /**
     * Whether a character is plain: one a JSON string holds as it is (not a quote, backslash or control
     * character) and, to keep the slices' arithmetic simple, in the Basic Multilingual Plane.
     */
    static boolean plain(int cp) {
        return cp >= 0x20 && cp != '"' && cp != '\\' && cp <= 0xFFFF && (cp < 0xD800 || cp > 0xDFFF);
    }

    /** How many characters a token has when its bytes are whole UTF-8 of plain characters only, else -1. */
    static int plainLength(byte[] bytes) {
        int chars = 0;
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int need;
            int cp;
            int min;
            if (b < 0x80) {
                need = 0;
                cp = b;
                min = 0;
            } else if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                cp = b & 0x1F;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                cp = b & 0x0F;
                min = 0x800;
            } else {
                return -1;
            }
            for (int k = 1; k <= need; k++) {
                if (i + k >= bytes.length || (bytes[i + k] & 0xC0) != 0x80) {
                    return -1;
                }
                cp = cp << 6 | (bytes[i + k] & 0x3F);
            }
            if (cp < min || !plain(cp)) {
                return -1;
            }
            i += need + 1;
            chars++;
        }
        return chars;
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

    /**
     * The most characters of a token under node {@code n} (its own tokens included) when every one of
     * them is plain; {@link Integer#MAX_VALUE} when some token there is not.
     */
    int plainMax(int n) {
        return plainMax[n];
    }

    /** The longest plain token, in characters. */
    int longestPlain() {
        return plainUpTo.length - 1;
    }

    /** The bits of the plain tokens of at most {@code length} characters (shared: do not modify). */
    long[] plainUpTo(int length) {
        return plainUpTo[Math.min(length, plainUpTo.length - 1)];
    }

    /** Sets the bits of the tokens whose bytes end at node {@code n}. */
    void markTokens(int n, long[] bits) {
        for (int t = tokensFrom[n]; t < tokensTo[n]; t++) {
            int id = tokens[t];
            bits[id >>> 6] |= 1L << id;
        }
    }
}
