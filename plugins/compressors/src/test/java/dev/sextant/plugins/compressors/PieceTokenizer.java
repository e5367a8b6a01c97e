package dev.sextant.plugins.compressors;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test tokenizer shaped like byte-level BPE: each whitespace-separated word becomes pieces of at
 * most three characters, the first of which carries the space before the word (as " ow", "ns" for
 * " owns"), so a word's token count depends on whether a space precedes it. Ids are given to
 * pieces as they are first seen. Word ids follow the words.
 */
final class PieceTokenizer implements Tokenizer {

    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, String> pieces = new ConcurrentHashMap<>();

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        List<int[]> spans = new ArrayList<>(); // start, end, word
        int word = -1;
        int i = 0;
        while (i < text.length()) {
            int spaceStart = i;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == text.length()) {
                if (i > spaceStart) {
                    spans.add(new int[] {spaceStart, i, -2});
                }
                break;
            }
            int wordStart = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            word++;
            // the first piece takes at most one space before the word; longer runs of spaces are their own token
            int from = spaceStart;
            if (wordStart - spaceStart > 1) {
                spans.add(new int[] {spaceStart, wordStart - 1, -2});
                from = wordStart - 1;
            }
            while (from < i) {
                int to = Math.min(i, from + 3);
                spans.add(new int[] {from, to, word});
                from = to;
            }
        }
        int n = spans.size();
        int[] tokenIds = new int[n];
        String[] tokens = new String[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] wordIds = new int[n];
        for (int t = 0; t < n; t++) {
            int[] span = spans.get(t);
            tokens[t] = text.substring(span[0], span[1]);
            tokenIds[t] = id(tokens[t]);
            starts[t] = span[0];
            ends[t] = span[1];
            // a run of whitespace belongs to the word after it, as BPE's leading-space tokens do
            wordIds[t] = span[2] >= 0 ? span[2] : Math.min(word, nextWord(spans, t));
        }
        return new Encoding(tokenIds, tokens, starts, ends, wordIds);
    }

    private static int nextWord(List<int[]> spans, int t) {
        for (int k = t + 1; k < spans.size(); k++) {
            if (spans.get(k)[2] >= 0) {
                return spans.get(k)[2];
            }
        }
        return spans.stream().mapToInt(s -> s[2]).max().orElse(0);
    }

    private int id(String piece) {
        return ids.computeIfAbsent(piece, p -> {
            synchronized (pieces) {
                int id = pieces.size() + 1;
                pieces.put(id, p);
                return id;
            }
        });
    }

    @Override
    public String decode(int[] tokenIds, boolean skipSpecialTokens) {
        StringBuilder out = new StringBuilder();
        for (int id : tokenIds) {
            out.append(pieces.getOrDefault(id, ""));
        }
        return out.toString();
    }

    @Override
    public String token(int id) {
        return pieces.getOrDefault(id, "<unk>");
    }

    @Override
    public OptionalInt tokenId(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return 65536;
    }
}
