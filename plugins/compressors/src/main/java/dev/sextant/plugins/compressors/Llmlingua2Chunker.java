package dev.sextant.plugins.compressors;

import dev.sextant.spi.InputException;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a text longer than the classifier's window into chunks that fit, special tokens included.
 * Chunks end at sentence boundaries (after a word ending in {@code .}, {@code !} or {@code ?}, or at a
 * line break) and are packed greedily, several sentences to a chunk; a sentence longer than a chunk is
 * split between words; only a single word longer than a chunk is split between its tokens (with a
 * warning). A chunk's first word is then encoded alone, since a tokenizer can spell it differently
 * from in context, and a chunk that would not fit is encoded whole and halved until it does. Linear in
 * the text.
 */
final class Llmlingua2Chunker {

    /** One chunk: {@code text.substring(start, end)}, tokens {@code [tokenFrom, tokenTo)} of the text's encoding. */
    record Chunk(int start, int end, int tokenFrom, int tokenTo) {
    }

    /** The chunks of a text, and any warning. */
    record Result(List<Chunk> chunks, List<String> warnings) {
    }

    private final Tokenizer tokenizer;
    private final int maxLength;
    private final int capacity;
    private final int specials;

    /**
     * @param tokenizer the classifier's tokenizer
     * @param maxLength the classifier's window, special tokens included
     */
    Llmlingua2Chunker(Tokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.specials = specialTokens(tokenizer);
        int room = maxLength - specials;
        // A little slack for chunk-start spelling differences, so that re-splitting stays rare.
        this.capacity = Math.max(1, room - Math.min(4, room / 8));
    }

    /** How many special tokens the tokenizer adds to one text. */
    static int specialTokens(Tokenizer tokenizer) {
        return Math.max(0, tokenizer.encode("a", true).size() - tokenizer.encode("a", false).size());
    }

    /**
     * Splits {@code text}, whose encoding without special tokens is {@code encoding}.
     *
     * @param strict encode every chunk to check that it fits, rather than only its first word
     * @throws InputException if a piece cannot be made to fit (a tokenizer adding tokens no split removes)
     */
    Result split(String text, Encoding encoding, boolean strict) throws InputException {
        int n = encoding.size();
        List<String> warnings = new ArrayList<>();
        if (n == 0 || text.isBlank()) {
            return new Result(List.of(), warnings);
        }
        int[] starts = encoding.starts();
        int[] ends = encoding.ends();
        int[] wordIds = encoding.wordIds();
        // cut[t]: 0 no cut before token t; 1 a word starts at t; 2 a sentence starts at t. A cut goes
        // before the first token of a new word that covers more than whitespace; word-less and
        // whitespace tokens (byte-level BPE's "\n\n", a byte tokenizer's leading space) stay with the
        // word before, so the line breaks they hold are seen between the two words.
        byte[] cut = new byte[n + 1];
        cut[n] = 2;
        int previousWord = -1;
        int previousWordEnd = -1;
        for (int t = 0; t < n; t++) {
            int id = wordIds[t];
            int from = starts[t];
            while (from < ends[t] && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
            if (id < 0 || from >= ends[t]) {
                continue;
            }
            if (id != previousWord) {
                if (previousWord >= 0) {
                    boolean sentence = endsSentence(text, previousWordEnd)
                            || hasLineBreak(text, previousWordEnd, from);
                    cut[t] = (byte) (sentence ? 2 : 1);
                }
                previousWord = id;
                previousWordEnd = ends[t];
            } else {
                previousWordEnd = Math.max(previousWordEnd, ends[t]);
            }
        }
        List<int[]> pieces = pack(cut, n, starts, warnings);
        List<Chunk> chunks = new ArrayList<>();
        Deque<int[]> todo = new ArrayDeque<>(pieces);
        while (!todo.isEmpty()) {
            int[] piece = todo.pollFirst();
            Chunk chunk = chunk(text, piece[0], piece[1], n, starts);
            if (chunk.end() <= chunk.start()) {
                continue;
            }
            if (!strict && fitsByItsFirstWord(text, piece[0], piece[1], cut, starts, n)) {
                chunks.add(chunk);
                continue;
            }
            int size = tokenizer.encode(text.substring(chunk.start(), chunk.end()), true).size();
            if (size <= maxLength) {
                chunks.add(chunk);
                continue;
            }
            int middle = middleCut(cut, piece[0], piece[1], starts);
            if (middle < 0) {
                throw new InputException("a piece of the context (chars " + chunk.start() + "-" + chunk.end()
                        + ") has " + size + " tokens with special tokens, more than the classifier's "
                        + maxLength + ", and cannot be split further");
            }
            todo.addFirst(new int[] {middle, piece[1]});
            todo.addFirst(new int[] {piece[0], middle});
        }
        return new Result(chunks, warnings);
    }

    /**
     * Whether tokens {@code [from, to)} fit the window once encoded alone. Tokenizers split text into
     * words before their sub-word model runs, so a chunk cut at a word boundary encodes as its tokens in
     * context, except for its first word (which may lose a leading space marker): that word alone is
     * encoded and the difference added to the chunk's count and the special tokens. Costs nothing when
     * the chunk has room for the worst spelling of that word, else one tiny encoding per chunk instead
     * of a whole one; {@code strict} mode (the retry if a classifier still
     * refuses a chunk) encodes whole chunks.
     */
    private boolean fitsByItsFirstWord(String text, int from, int to, byte[] cut, int[] starts, int n) {
        int next = from + 1;
        while (next < to && cut[next] == 0) {
            next++;
        }
        int wordEnd = next < n ? starts[next] : text.length();
        while (wordEnd > starts[from] && Character.isWhitespace(text.charAt(wordEnd - 1))) {
            wordEnd--;
        }
        // No tokenizer spells a word in more tokens than it has UTF-8 bytes (at most 4 a char), plus a
        // lone space marker: when even that fits, the chunk fits without encoding anything.
        int chars = wordEnd - starts[from];
        if ((long) (to - from) + 4L * chars + 1 + specials <= maxLength) {
            return true;
        }
        int alone = tokenizer.encode(text.substring(starts[from], wordEnd), false).size();
        return (to - from) + Math.max(0, alone - (next - from)) + specials <= maxLength;
    }

    /** Greedy packing of sentences into token ranges of at most {@code capacity} tokens. */
    private List<int[]> pack(byte[] cut, int n, int[] starts, List<String> warnings) {
        List<int[]> pieces = new ArrayList<>();
        int chunkStart = 0;
        int chunkEnd = 0;
        boolean warned = false;
        for (int t = 1; t <= n; t++) {
            if (cut[t] != 2) {
                continue;
            }
            // The chunk so far is [chunkStart, chunkEnd); the sentence is [chunkEnd, t).
            if (t - chunkStart <= capacity) {
                chunkEnd = t;
                continue;
            }
            if (chunkEnd > chunkStart) {
                pieces.add(new int[] {chunkStart, chunkEnd});
                chunkStart = chunkEnd;
            }
            if (t - chunkStart > capacity) {
                // An over-long sentence: split it between words, greedily.
                int lastCut = chunkStart;
                for (int u = chunkStart + 1; u <= t; u++) {
                    if (u < t && cut[u] == 0) {
                        continue;
                    }
                    if (u - chunkStart <= capacity) {
                        lastCut = u;
                        continue;
                    }
                    if (lastCut > chunkStart) {
                        pieces.add(new int[] {chunkStart, lastCut});
                        chunkStart = lastCut;
                    }
                    while (u - chunkStart > capacity) {
                        // One word longer than a chunk: split it between tokens.
                        int at = tokenCut(chunkStart + capacity, chunkStart, starts);
                        pieces.add(new int[] {chunkStart, at});
                        chunkStart = at;
                        if (!warned) {
                            warned = true;
                            warnings.add("a word longer than the classifier's window of " + maxLength + " tokens was"
                                    + " split between tokens; its parts were scored as separate words");
                        }
                    }
                    lastCut = u;
                }
            }
            chunkEnd = t;
        }
        if (chunkEnd > chunkStart) {
            pieces.add(new int[] {chunkStart, chunkEnd});
        }
        return pieces;
    }

    /** A token index at most {@code at} and above {@code from} whose char offset differs from the previous token's. */
    private static int tokenCut(int at, int from, int[] starts) {
        for (int t = at; t > from + 1; t--) {
            if (starts[t] > starts[t - 1]) {
                return t;
            }
        }
        return from + 1;
    }

    /** The best cut inside {@code (from, to)} near its middle: a sentence, else a word, else a token; -1 if none. */
    private static int middleCut(byte[] cut, int from, int to, int[] starts) {
        if (to - from < 2) {
            return -1;
        }
        int middle = (from + to) >>> 1;
        for (byte level = 2; level >= 1; level--) {
            int best = -1;
            for (int t = from + 1; t < to; t++) {
                if (cut[t] >= level && (best < 0 || Math.abs(t - middle) < Math.abs(best - middle))) {
                    best = t;
                }
            }
            if (best > 0) {
                return best;
            }
        }
        int t = tokenCut(middle, from, starts);
        return starts[t] > starts[t - 1] ? t : -1;
    }

    /** The chars of tokens {@code [from, to)}: from the first token's start to the next piece's, less trailing space. */
    private static Chunk chunk(String text, int from, int to, int n, int[] starts) {
        int start = starts[from];
        int end = to < n ? starts[to] : text.length();
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new Chunk(start, end, from, to);
    }

    static boolean endsSentence(String text, int wordEnd) {
        int i = wordEnd - 1;
        while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        char c = text.charAt(i);
        return c == '.' || c == '!' || c == '?';
    }

    static boolean hasLineBreak(String text, int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(to, text.length()); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}
