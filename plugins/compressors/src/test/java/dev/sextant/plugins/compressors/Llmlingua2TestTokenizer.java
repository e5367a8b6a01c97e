package dev.sextant.plugins.compressors;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small sub-word test tokenizer that reports its own word ids, in two styles: {@link #wordpiece()}
 * (BERT: punctuation marks are words of their own, continuation pieces spelt {@code ##...}) and
 * {@link #sentencepiece()} (XLM-R: words are whitespace-delimited, punctuation stays in the word,
 * the first piece is spelt {@code ▁...}). Pieces are at most three characters; a punctuation mark is
 * always a piece of its own. {@code [CLS]} and {@code [SEP]} are added as special tokens (word id -1,
 * empty spans).
 */
final class Llmlingua2TestTokenizer implements Tokenizer {

    static final String CLS = "[CLS]";
    static final String SEP = "[SEP]";

    private final boolean punctuationWords;
    private final Map<String, Integer> vocabulary = new ConcurrentHashMap<>();
    private final Map<Integer, String> spelling = new ConcurrentHashMap<>();

    private Llmlingua2TestTokenizer(boolean punctuationWords) {
        this.punctuationWords = punctuationWords;
        id(CLS);
        id(SEP);
    }

    /** BERT-like: punctuation marks are words. */
    static Llmlingua2TestTokenizer wordpiece() {
        return new Llmlingua2TestTokenizer(true);
    }

    /** XLM-R-like: words are whitespace-delimited. */
    static Llmlingua2TestTokenizer sentencepiece() {
        return new Llmlingua2TestTokenizer(false);
    }

    private int id(String token) {
        return vocabulary.computeIfAbsent(token, t -> {
            int id = spelling.size();
            spelling.put(id, t);
            return id;
        });
    }

    private static boolean punctuation(char c) {
        return !Character.isLetterOrDigit(c) && !Character.isWhitespace(c);
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        List<String> tokens = new ArrayList<>();
        List<int[]> spans = new ArrayList<>(); // start, end, word
        if (addSpecialTokens) {
            tokens.add(CLS);
            spans.add(new int[] {0, 0, -1});
        }
        int word = -1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int end = i;
            if (punctuationWords && punctuation(c)) {
                end = i + 1;
            } else {
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                        && !(punctuationWords && punctuation(text.charAt(end)))) {
                    end++;
                }
            }
            word++;
            int p = i;
            boolean firstPiece = true;
            while (p < end) {
                int q = p;
                if (punctuation(text.charAt(p))) {
                    q = p + 1;
                } else {
                    while (q < end && q - p < 3 && !punctuation(text.charAt(q))) {
                        q++;
                    }
                }
                String piece = text.substring(p, q);
                tokens.add(punctuationWords ? (firstPiece ? piece : "##" + piece) : (firstPiece ? "\u2581" + piece : piece));
                spans.add(new int[] {p, q, word});
                firstPiece = false;
                p = q;
            }
            i = end;
        }
        if (addSpecialTokens) {
            tokens.add(SEP);
            spans.add(new int[] {text.length(), text.length(), -1});
        }
        int n = tokens.size();
        int[] ids = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] words = new int[n];
        for (int t = 0; t < n; t++) {
            ids[t] = id(tokens.get(t));
            starts[t] = spans.get(t)[0];
            ends[t] = spans.get(t)[1];
            words[t] = spans.get(t)[2];
        }
        return new Encoding(ids, tokens.toArray(String[]::new), starts, ends, words);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            String token = token(id);
            if (token.equals(CLS) || token.equals(SEP)) {
                if (!skipSpecialTokens) {
                    out.append(token);
                }
            } else if (token.startsWith("##")) {
                out.append(token, 2, token.length());
            } else if (token.startsWith("\u2581")) {
                out.append(out.isEmpty() ? "" : " ").append(token, 1, token.length());
            } else {
                out.append(punctuationWords && !out.isEmpty() ? " " : "").append(token);
            }
        }
        return out.toString();
    }

    @Override
    public String token(int id) {
        String token = spelling.get(id);
        if (token == null) {
            throw new IllegalArgumentException("unknown id " + id);
        }
        return token;
    }

    @Override
    public OptionalInt tokenId(String token) {
        Integer id = vocabulary.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public Set<Integer> specialTokenIds() {
        return Set.of(0, 1);
    }
}
