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

    /**
     * Per node, one long (a walk reads nodes far apart, so the fewer bytes a node takes the more of the
     * nodes it reads share cache lines): the byte into it (bits 0-7), its depth (8-18), the longest
     * plain token under it (19-26, {@link #NOT_PLAIN} where some token is not plain), the longest plain
     * rest of a token under it, after the node's bytes (27-34, the same way; see {@link #plainBelow})
     * and the end of its subtree (35-63).
     */
    private final long[] node;
    /** Per node, where its tokens start in {@link #tokens} (its own, then those under it), and a sentinel. */
    private final int[] tokenStart;
    private static final int NOT_PLAIN = 255;
    /** The longest token and the most nodes the packed layout holds (11 and 29 bits). */
    static final int MAX_DEPTH = (1 << 11) - 1;
    static final int MAX_NODES = 1 << 29;
    private final int nodes;
    private final int[] tokens;
    private final int maxDepth;
    /** The ASCII classes' slices made so far (see {@link #asciiClass}), least recently used first. */
    private final java.util.LinkedHashMap<AsciiClass, ClassSlice> classes = new java.util.LinkedHashMap<>(16, 0.75f, true);
    /**
     * The most bytes of ASCII classes' slices a trie keeps (0.2 MB apiece on average at o200k; the 383
     * schemas of the test corpus use 87 classes, 17 MB): past it the least recently used are dropped.
     */
    static final long MAX_CLASS_BYTES = Long.getLong("sextant.constraints.max-class-bytes", 32L << 20);
    private final long maxClassBytes;
    /** The bytes of {@link #classes}. */
    private long classBytes;
    /** {@link #asciiClass}'s mark for a subtree that holds a token not wholly of the class. */
    static final int NOT_IN_CLASS = 127;

    /** A set of ASCII characters, as 128 bits. */
    record AsciiClass(long low, long high) {

        boolean contains(int c) {
            return c < 64 ? (low >>> c & 1) != 0 : c < 128 && (high >>> (c - 64) & 1) != 0;
        }

        boolean isEmpty() {
            return low == 0 && high == 0;
        }

        /** How many characters the class has. */
        int size() {
            return Long.bitCount(low) + Long.bitCount(high);
        }
    }

    /** {@code plainUpTo[L]}: the plain tokens of at most L characters, as token bits. */
    private final long[][] plainUpTo;
    /** Where tokens leave plain text (see {@link #plainFrontier}). */
    private final FrontierNodes plainFrontier;

    TokenTrie(TokenBytes vocabulary) {
        this(vocabulary, MAX_CLASS_BYTES);
    }

    /** @param maxClassBytes the most bytes of class slices kept (see {@link #asciiClass}) */
    TokenTrie(TokenBytes vocabulary, long maxClassBytes) {
        this.maxClassBytes = maxClassBytes;
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
        int[] below = new int[capacity];
        int[] rest = new int[64];
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
            // the plain rests: how many plain characters follow each character boundary of the token (-1
            // where the rest is not plain), the most of them kept at the node of that boundary
            if (rest.length < b.length + 1) {
                rest = new int[b.length * 2 + 1];
            }
            plainRests(b, rest);
            for (int k = 1; k <= b.length; k++) {
                int node = path[k - 1];
                below[node] = rest[k] < 0 || below[node] < 0 ? -1 : Math.max(below[node], rest[k]);
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
        maxDepth = longest;
        // plain lengths: per token, then the most per subtree (children follow parents in preorder)
        int[] length = new int[vocabulary.size()];
        int longestPlain = 0;
        for (int t = 0; t < count; t++) {
            length[tokens[t]] = plainLength(vocabulary.bytes(tokens[t]));
            longestPlain = Math.max(longestPlain, length[tokens[t]]);
        }
        int[] plainMax = new int[nodes];
        for (int node = nodes - 1; node >= 1; node--) {
            for (int t = from[node]; t < to[node]; t++) {
                int l = length[tokens[t]];
                plainMax[node] = l < 0 ? Integer.MAX_VALUE : Math.max(plainMax[node], l);
            }
            plainMax[parent[node]] = Math.max(plainMax[parent[node]], plainMax[node]);
        }
        this.nodes = nodes;
        node = new long[nodes];
        tokenStart = new int[nodes + 1];
        if (maxDepth > MAX_DEPTH || nodes > MAX_NODES) {
            throw new IllegalArgumentException("vocabulary too large for the token trie: " + nodes + " nodes (at most "
                    + MAX_NODES + "), longest token " + maxDepth + " bytes (at most " + MAX_DEPTH + ")");
        }
        for (int k = 0; k < nodes; k++) {
            int most = plainMax[k] >= NOT_PLAIN ? NOT_PLAIN : plainMax[k];
            int rests = below[k] < 0 || below[k] >= NOT_PLAIN ? NOT_PLAIN : below[k];
            node[k] = lab[k] | (long) dep[k] << 8 | (long) most << 19 | (long) rests << 27 | (long) end[k] << 35;
            tokenStart[k] = from[k];
        }
        tokenStart[nodes] = count;
        int words = (vocabulary.size() + 63) / 64;
        plainUpTo = new long[longestPlain + 1][];
        plainUpTo[0] = new long[words];
        long[][] exactly = new long[longestPlain + 1][words];
        for (int t = 0; t < count; t++) {
            int id = tokens[t];
            if (length[id] > 0) {
                exactly[length[id]][id >>> 6] |= 1L << id;
            }
        }
        for (int l = 1; l <= longestPlain; l++) {
            plainUpTo[l] = plainUpTo[l - 1].clone();
            for (int w = 0; w < words; w++) {
                plainUpTo[l][w] |= exactly[l][w];
            }
        }
        plainFrontier = findPlainFrontier();
    }

    /**
     * Where tokens leave plain text, for walks from states that read any plain character alike: after
     * {@code j} whole plain characters, an ASCII byte that is not plain (a quote, a backslash, a control
     * character) or the lead byte of a four-byte character (plain text keeps to the Basic Multilingual
     * Plane) is a frontier node; a token that ends inside a two- or three-byte character is a tail. Every
     * other token is plain or no UTF-8 (bytes that start no character, or an overlong form or surrogate),
     * which no state takes.
     */
    private FrontierNodes findPlainFrontier() {
        int[] j = new int[maxDepth + 1];
        int[] need = new int[maxDepth + 1];
        int[] payload = new int[maxDepth + 1];
        int[] least = new int[maxDepth + 1];
        int[] edge = new int[256];
        int[] edgeNode = new int[256];
        int edges = 0;
        int[] tail = new int[5 * 64];
        int tails = 0;
        int n = 1;
        while (n < nodes) {
            int d = depth(n);
            int b = label(n);
            int chars = j[d - 1];
            int missing = need[d - 1];
            int cp = payload[d - 1];
            int min = least[d - 1];
            boolean frontier = false;
            boolean valid = true;
            if (missing == 0) {
                if (b < 0x80) {
                    frontier = !plain(b);
                    chars++;
                } else if (b >= 0xC2 && b <= 0xEF) {
                    missing = b >= 0xE0 ? 2 : 1;
                    cp = b & (missing == 2 ? 0x0F : 0x1F);
                    min = missing == 2 ? 0x800 : 0x80;
                } else {
                    frontier = b >= 0xF0 && b <= 0xF4;
                    valid = frontier;
                }
            } else if ((b & 0xC0) != 0x80) {
                valid = false;
            } else {
                cp = cp << 6 | (b & 0x3F);
                if (--missing == 0) {
                    valid = cp >= min && (cp < 0xD800 || cp > 0xDFFF); // two or three bytes: plain when valid
                    chars++;
                }
            }
            if (frontier) {
                if (edges == edge.length) {
                    edge = Arrays.copyOf(edge, edges * 2);
                    edgeNode = Arrays.copyOf(edgeNode, edges * 2);
                }
                edge[edges] = j[d - 1] << 8 | b;
                edgeNode[edges++] = n;
            }
            if (frontier || !valid) {
                n = subtreeEnd(n);
                continue;
            }
            if (missing > 0 && tokenStart[n + 1] > tokenStart[n]) {
                if (5 * tails + 5 > tail.length) {
                    tail = Arrays.copyOf(tail, tail.length * 2);
                }
                tail[5 * tails] = chars;
                tail[5 * tails + 1] = n;
                tail[5 * tails + 2] = missing;
                tail[5 * tails + 3] = cp;
                tail[5 * tails++ + 4] = min;
            }
            j[d] = chars;
            need[d] = missing;
            payload[d] = cp;
            least[d] = min;
            n++;
        }
        return FrontierNodes.of(edge, edgeNode, edges, tail, tails);
    }

    /**
     * Where tokens leave plain text: the frontier nodes after {@code j} plain characters (a byte that starts
     * no plain character: a quote, a backslash, a control character, a four-byte character's lead) and the
     * tails (tokens that end inside a character after {@code j} plain ones). With the plain tokens, these
     * are every token some state may take.
     */
    FrontierNodes plainFrontier() {
        return plainFrontier;
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
        for (int i = 0; i < bytes.length; chars++) {
            int size = plainCharSize(bytes, i);
            if (size < 0) {
                return -1;
            }
            i += size;
        }
        return chars;
    }

    /**
     * Fills {@code rest[k]} for each {@code k} in {@code 0..bytes.length}: how many characters follow byte
     * {@code k} when {@code k} is a character boundary and they are all plain (whole UTF-8), else -1.
     */
    static void plainRests(byte[] bytes, int[] rest) {
        java.util.Arrays.fill(rest, 0, bytes.length + 1, -1);
        rest[bytes.length] = 0;
        // the character boundaries, read forward; after bytes that are no UTF-8 they are unknown
        int[] starts = new int[bytes.length + 1];
        boolean[] plain = new boolean[bytes.length + 1];
        int chars = 0;
        int i = 0;
        while (i < bytes.length) {
            int size = utf8Size(bytes, i);
            if (size < 0) {
                return; // every rest before the bad bytes holds them; the boundaries after them are unknown
            }
            starts[chars] = i;
            plain[chars++] = plainCharSize(bytes, i) > 0;
            i += size;
        }
        int following = 0;
        for (int c = chars - 1; c >= 0 && plain[c]; c--) {
            rest[starts[c]] = ++following;
        }
    }

    /** The bytes of the UTF-8 character at {@code i} (any code point), or -1 where the bytes are no UTF-8. */
    private static int utf8Size(byte[] bytes, int i) {
        int b = bytes[i] & 0xFF;
        int need = b < 0x80 ? 0 : b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
        if (need < 0) {
            return -1;
        }
        int cp = need == 0 ? b : b & (0x3F >> need);
        for (int k = 1; k <= need; k++) {
            if (i + k >= bytes.length || (bytes[i + k] & 0xC0) != 0x80) {
                return -1;
            }
            cp = cp << 6 | (bytes[i + k] & 0x3F);
        }
        int min = need == 0 ? 0 : need == 1 ? 0x80 : need == 2 ? 0x800 : 0x10000;
        return cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) ? need + 1 : -1;
    }

    /** The bytes of the plain character at {@code i} when the bytes there are whole UTF-8 of one, else -1. */
    private static int plainCharSize(byte[] bytes, int i) {
        int b = bytes[i] & 0xFF;
        int need;
        int cp;
        int min;
        if (b < 0x80) {
            return plain(b) ? 1 : -1;
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
        return cp >= min && plain(cp) ? need + 1 : -1;
    }

    /** Nodes, the root (0) included. */
    int nodes() {
        return nodes;
    }

    /** The byte on the edge into node {@code n} (0-255). */
    int label(int n) {
        return (int) node[n] & 0xFF;
    }

    /** How many bytes lead to node {@code n} (the root is 0). */
    int depth(int n) {
        return (int) (node[n] >>> 8) & MAX_DEPTH;
    }

    /** The first node after node {@code n}'s subtree. */
    int subtreeEnd(int n) {
        return (int) (node[n] >>> 35);
    }

    /**
     * Whether every token under node {@code n} (its own included) goes on from the node's bytes with
     * whole plain characters, at most {@code run} of them: from a state at the node whose plain run is
     * {@code run} (a character boundary), all of them are allowed at once. The slices of the root
     * ({@link #plainMax}) start here too, after a quote, a colon or a space that opens a string.
     */
    boolean plainBelow(int n, int run) {
        int rests = (int) (node[n] >>> 27) & 0xFF;
        return rests != NOT_PLAIN && rests <= run;
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
        int most = (int) (node[n] >>> 19) & 0xFF;
        return most == NOT_PLAIN ? Integer.MAX_VALUE : most;
    }

    /** The longest plain token, in characters. */
    int longestPlain() {
        return plainUpTo.length - 1;
    }

    /** The bits of the plain tokens of at most {@code length} characters (shared: do not modify). */
    long[] plainUpTo(int length) {
        return plainUpTo[Math.min(length, plainUpTo.length - 1)];
    }

    /**
     * The slices of one ASCII class: per node ({@link #most}), the most characters of a token under it when
     * every token there is wholly of the class (its bytes from the first one on), else {@link #NOT_IN_CLASS};
     * and the class's tokens by length, so that a walk sets those short enough at once ({@link #setUpTo})
     * and skips their subtrees without marking them token by token.
     */
    static final class ClassSlice {
        private final byte[] most;
        /** The node {@link #most} starts at: the first subtree whose first byte is of the class. */
        private final int mostFrom;
        /** The class's tokens (at most {@code NOT_IN_CLASS - 1} characters), shortest first. */
        private final int[] ids;
        /** {@code upTo[L]}: how many of {@link #ids} have at most L characters. */
        private final int[] upTo;
        /** Every one of {@link #ids}, as token bits. */
        private final long[] all;
        /**
         * The frontier: the nodes whose byte is the first one not of the class on their path (a child of the
         * root, or a byte after characters of the class).
         */
        private final FrontierNodes frontier;
        /**
         * Whether some token of the class, or frontier node, comes after {@link #NOT_IN_CLASS} or more
         * characters of the class (runs of spaces): those are not listed, and past a wall never allowed.
         */
        private final boolean overlong;
        private final AsciiClass chars;
        private final int longestToken;

        private ClassSlice(AsciiClass chars, byte[] most, int mostFrom, int[] ids, int[] upTo, long[] all,
                FrontierNodes frontier, boolean overlong) {
            this.chars = chars;
            this.overlong = overlong;
            this.most = most;
            this.mostFrom = mostFrom;
            this.ids = ids;
            this.upTo = upTo;
            this.all = all;
            this.frontier = frontier;
            int l = upTo.length - 1;
            while (l > 0 && upTo[l - 1] == upTo[l]) {
                l--;
            }
            this.longestToken = l;
        }

        /** The class. */
        AsciiClass chars() {
            return chars;
        }

        /** Whether some token of the class, or frontier node, is too far in to be listed. */
        boolean overlong() {
            return overlong;
        }

        /** Where the class's tokens leave it. */
        FrontierNodes frontier() {
            return frontier;
        }

        /** The most characters of the class before a frontier node (-1 where the frontier is empty). */
        int longestPrefix() {
            return frontier.longestPrefix();
        }

        /** The most characters of a token of the class (0 where it has none). */
        int longestToken() {
            return longestToken;
        }

        /** The most characters of a token under node {@code n}, or {@link #NOT_IN_CLASS}. */
        int most(int n) {
            int k = n - mostFrom;
            return k >= 0 && k < most.length ? most[k] : NOT_IN_CLASS;
        }

        /** The bytes the slice takes, about. */
        long bytes() {
            return 64L + most.length + 4L * ids.length + 4L * upTo.length + 8L * all.length
                    + frontier.bytes();
        }

        /** Sets the bits of the class's tokens of at most {@code length} characters. */
        void setUpTo(int length, long[] bits) {
            int k = upTo[Math.min(length, upTo.length - 1)];
            int longer = ids.length - k;
            // token by token, or every word of the whole class's bits and the longer ones cleared again:
            // a word costs about a quarter of a token's scattered write
            if (k <= all.length / 4 + longer) {
                for (int i = 0; i < k; i++) {
                    bits[ids[i] >>> 6] |= 1L << ids[i];
                }
                return;
            }
            int words = Math.min(all.length, bits.length);
            long[] saved = longer == 0 ? null : new long[longer];
            for (int i = k; i < ids.length; i++) {
                saved[i - k] = bits[ids[i] >>> 6] & 1L << ids[i];
            }
            for (int w = 0; w < words; w++) {
                bits[w] |= all[w];
            }
            for (int i = k; i < ids.length; i++) {
                bits[ids[i] >>> 6] = bits[ids[i] >>> 6] & ~(1L << ids[i]) | saved[i - k];
            }
        }
    }

    /**
     * The slices of the ASCII class {@code c} (see {@link ClassSlice}), as {@link #plainMax} and
     * {@link #plainUpTo} are for plain text. Made on first use (a pass over the subtrees whose first byte is
     * of the class) and kept for the classes used last, up to {@link #MAX_CLASS_BYTES}.
     */
    ClassSlice asciiClass(AsciiClass c) {
        synchronized (classes) {
            ClassSlice found = classes.get(c);
            if (found != null) {
                return found;
            }
        }
        // only the subtrees whose first byte is of the class hold tokens of it: per node of those (from the
        // first such subtree to the last); the other subtrees are frontier nodes at once
        int lo = nodes;
        int hi = 0;
        for (int first = 1; first < nodes; first = subtreeEnd(first)) {
            if (c.contains(label(first))) {
                lo = Math.min(lo, first);
                hi = subtreeEnd(first);
            }
        }
        int from = Math.min(lo, hi);
        byte[] most = new byte[hi - from];
        java.util.Arrays.fill(most, (byte) NOT_IN_CLASS);
        boolean[] inClass = new boolean[maxDepth + 1];
        inClass[0] = true;
        int[] children = new int[maxDepth + 2];
        int[] count = new int[NOT_IN_CLASS + 1];
        int[] foundIds = new int[64];
        int[] foundLengths = new int[64];
        int size = 0;
        int[] edge = new int[64]; // the frontier, as (j << 8 | byte) and node
        int[] edgeNode = new int[64];
        int edges = 0;
        boolean overlong = false;
        for (int first = 1; first < nodes; first = subtreeEnd(first)) {
            if (!c.contains(label(first))) {
                if (edges == edge.length) {
                    edge = Arrays.copyOf(edge, edges * 2);
                    edgeNode = Arrays.copyOf(edgeNode, edges * 2);
                }
                edge[edges] = label(first);
                edgeNode[edges++] = first;
                continue;
            }
            int end = subtreeEnd(first);
            // forward: whether the bytes up to each node are all of the class (NOT_IN_CLASS where not)
            for (int n = first; n < end; n++) {
                int d = depth(n);
                inClass[d] = inClass[d - 1] && c.contains(label(n));
                most[n - from] = (byte) (inClass[d] ? 0 : NOT_IN_CLASS);
                if (inClass[d - 1] && !inClass[d]) {
                    if (d - 1 >= NOT_IN_CLASS) {
                        overlong = true;
                    } else {
                        if (edges == edge.length) {
                            edge = Arrays.copyOf(edge, edges * 2);
                            edgeNode = Arrays.copyOf(edgeNode, edges * 2);
                        }
                        edge[edges] = (d - 1) << 8 | label(n);
                        edgeNode[edges++] = n;
                    }
                }
                if (inClass[d] && d >= NOT_IN_CLASS && tokenStart[n + 1] > tokenStart[n]) {
                    overlong = true; // a token of the class too long for the slice's lengths
                }
                if (inClass[d] && d < NOT_IN_CLASS) {
                    for (int t = tokenStart[n]; t < tokenStart[n + 1]; t++) {
                        if (size == foundIds.length) {
                            foundIds = Arrays.copyOf(foundIds, size * 2);
                            foundLengths = Arrays.copyOf(foundLengths, size * 2);
                        }
                        foundIds[size] = tokens[t];
                        foundLengths[size++] = d;
                        count[d]++;
                    }
                }
            }
            // backward (children come after their parent): the most over the node's tokens and its children
            for (int n = end - 1; n >= first; n--) {
                int d = depth(n);
                int m = most[n - from];
                if (m != NOT_IN_CLASS) {
                    m = children[d + 1];
                    if (m != NOT_IN_CLASS && tokenStart[n + 1] > tokenStart[n]) {
                        m = d < NOT_IN_CLASS ? Math.max(m, d) : NOT_IN_CLASS;
                    }
                }
                children[d + 1] = 0;
                most[n - from] = (byte) m;
                children[d] = Math.max(children[d], m);
            }
        }
        // the class's tokens shortest first (a counting sort by length)
        int[] upTo = new int[NOT_IN_CLASS];
        for (int l = 1; l < NOT_IN_CLASS; l++) {
            upTo[l] = upTo[l - 1] + count[l];
        }
        int[] ids = new int[size];
        int[] next = Arrays.copyOf(upTo, NOT_IN_CLASS);
        long[] all = new long[plainUpTo[0].length];
        for (int i = 0; i < size; i++) {
            int id = foundIds[i];
            ids[next[foundLengths[i] - 1]++] = id;
            all[id >>> 6] |= 1L << id;
        }
        ClassSlice slice = new ClassSlice(c, most, from, ids, upTo, all,
                FrontierNodes.of(edge, edgeNode, edges, new int[0], 0), overlong);

        synchronized (classes) {
            if (classes.put(c, slice) == null) {
                classBytes += slice.bytes();
            }
            // the least recently used go first, the one just made stays
            var oldest = classes.entrySet().iterator();
            while (classBytes > maxClassBytes && classes.size() > 1) {
                classBytes -= oldest.next().getValue().bytes();
                oldest.remove();
            }
        }
        return slice;
    }

    /** The bytes of the class slices kept now. */
    long classSliceBytes() {
        synchronized (classes) {
            return classBytes;
        }
    }

    /** Sets the bits of every token under node {@code n} (its own included). */
    void markSubtree(int n, long[] bits) {
        int end = subtreeEnd(n);
        int to = tokenStart[end];
        for (int t = tokenStart[n]; t < to; t++) {
            int id = tokens[t];
            bits[id >>> 6] |= 1L << id;
        }
    }

    /** Sets the bits of the tokens whose bytes end at node {@code n}. */
    void markTokens(int n, long[] bits) {
        int to = tokenStart[n + 1];
        for (int t = tokenStart[n]; t < to; t++) {
            int id = tokens[t];
            bits[id >>> 6] |= 1L << id;
        }
    }
}
