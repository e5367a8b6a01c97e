package dev.sextant.plugins.constraints;

import java.util.Arrays;

/**
 * Where the tokens of a trie leave a class of characters (see {@link Frontier}): the frontier nodes, whose
 * byte is the first one on their path that starts no character of the class, by how many characters of
 * the class come before them ({@code j}) and then by byte, so that a walk starts at them instead of the
 * root and passes over all the nodes of a byte a state refuses together; and, for a class with multi-byte
 * characters (plain text), the tails: nodes whose tokens end inside a character after {@code j} characters
 * of the class, kept with the bytes of that character read so far (as a walk's decoder holds them).
 */
final class FrontierNodes {

    private final int[] nodes;
    /** Per group of one {@code j} and byte: the byte and where its nodes start (a pair), and a sentinel pair. */
    private final int[] groups;
    /** Where the groups of each {@code j} start in {@link #groups} (in pairs), and a sentinel. */
    private final int[] groupsAt;
    /** The tails by {@code j}: node, then the character's missing bytes, payload so far and least code point. */
    private final int[] tails;
    /** Where the tails of each {@code j} start (in fours), and a sentinel. */
    private final int[] tailsAt;

    private FrontierNodes(int[] nodes, int[] groups, int[] groupsAt, int[] tails, int[] tailsAt) {
        this.nodes = nodes;
        this.groups = groups;
        this.groupsAt = groupsAt;
        this.tails = tails;
        this.tailsAt = tailsAt;
    }

    /**
     * The frontier of the {@code edges} nodes {@code edgeNode}, each keyed {@code j << 8 | byte} in
     * {@code edge}, and of {@code tailCount} tails (in fours: {@code j}, node, missing bytes, payload, least
     * code point) sorted by key (counting sorts).
     */
    static FrontierNodes of(int[] edge, int[] edgeNode, int edges, int[] tail, int tailCount) {
        int longest = -1;
        for (int e = 0; e < edges; e++) {
            longest = Math.max(longest, edge[e] >>> 8);
        }
        for (int t = 0; t < tailCount; t++) {
            longest = Math.max(longest, tail[5 * t]);
        }
        int keys = (longest + 1) << 8;
        int[] start = new int[keys + 1];
        for (int e = 0; e < edges; e++) {
            start[edge[e] + 1]++;
        }
        for (int k = 0; k < keys; k++) {
            start[k + 1] += start[k];
        }
        int[] nodes = new int[edges];
        int[] next = Arrays.copyOf(start, keys);
        for (int e = 0; e < edges; e++) {
            nodes[next[edge[e]]++] = edgeNode[e];
        }
        int[] groups = new int[64];
        int count = 0;
        int[] groupsAt = new int[longest + 2];
        for (int k = 0; k < keys; k++) {
            if ((k & 0xFF) == 0) {
                groupsAt[k >>> 8] = count;
            }
            if (start[k + 1] > start[k]) {
                if (2 * count + 4 > groups.length) {
                    groups = Arrays.copyOf(groups, groups.length * 2);
                }
                groups[2 * count] = k & 0xFF;
                groups[2 * count++ + 1] = start[k];
            }
        }
        groups[2 * count + 1] = edges; // the sentinel: where the last group's nodes end
        groupsAt[longest + 1] = count;
        int[] tailsAt = new int[longest + 2];
        for (int t = 0; t < tailCount; t++) {
            tailsAt[tail[5 * t] + 1]++;
        }
        for (int j = 0; j <= longest; j++) {
            tailsAt[j + 1] += tailsAt[j];
        }
        int[] tails = new int[4 * tailCount];
        int[] at = Arrays.copyOf(tailsAt, longest + 1);
        for (int t = 0; t < tailCount; t++) {
            System.arraycopy(tail, 5 * t + 1, tails, 4 * at[tail[5 * t]]++, 4);
        }
        return new FrontierNodes(nodes, Arrays.copyOf(groups, 2 * count + 2), groupsAt, tails, tailsAt);
    }

    /** The most characters of the class before a frontier node or tail (-1 where there is none). */
    int longestPrefix() {
        return groupsAt.length - 2;
    }

    /**
     * The groups of frontier nodes after {@code j} characters of the class: {@code groupsFrom(j)} to
     * {@code groupsFrom(j + 1)}, each of one byte ({@link #groupByte}) and the nodes
     * {@code node(groupStart(g))} up to {@code groupStart(g + 1)}.
     */
    int groupsFrom(int j) {
        return groupsAt[Math.min(j, groupsAt.length - 1)];
    }

    int groupByte(int g) {
        return groups[2 * g];
    }

    int groupStart(int g) {
        return groups[2 * g + 1];
    }

    int node(int k) {
        return nodes[k];
    }

    /** The tails after {@code j} characters of the class: {@code tailsFrom(j)} to {@code tailsFrom(j + 1)}. */
    int tailsFrom(int j) {
        return tailsAt[Math.min(j, tailsAt.length - 1)];
    }

    int tailNode(int t) {
        return tails[4 * t];
    }

    /** The bytes tail {@code t}'s character still misses. */
    int tailNeed(int t) {
        return tails[4 * t + 1];
    }

    /** The payload of tail {@code t}'s character so far. */
    int tailPayload(int t) {
        return tails[4 * t + 2];
    }

    /** The least code point tail {@code t}'s character may be (no overlong forms). */
    int tailMin(int t) {
        return tails[4 * t + 3];
    }

    /** The bytes kept, about. */
    long bytes() {
        return 48L + 4L * (nodes.length + groups.length + groupsAt.length + tails.length + tailsAt.length);
    }
}
