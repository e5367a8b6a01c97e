package dev.sextant.plugins.decoders;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test tokenizer with one token per word and the whitespace before it (" years"), like a byte-level
 * BPE whose merges made every word of the given texts whole; ids 0.. in order of first appearance,
 * {@link ByteTokenizer#EOS} as end-of-sequence so {@link TestLm} can use it.
 */
final class WordTokenizer implements Tokenizer {

    private static final Pattern WORD = Pattern.compile("\\s*\\S+");

    private final List<String> words = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    WordTokenizer(String... texts) {
        for (String text : texts) {
            Matcher m = WORD.matcher(text);
            while (m.find()) {
                if (!ids.containsKey(m.group())) {
                    ids.put(m.group(), words.size());
                    words.add(m.group());
                }
            }
        }
        if (words.size() > ByteTokenizer.EOS) {
            throw new IllegalArgumentException("more than " + ByteTokenizer.EOS + " words");
        }
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            Integer id = ids.get(m.group());
            if (id == null) {
                throw new IllegalArgumentException("'" + m.group() + "' is not in the vocabulary");
            }
            spans.add(new int[] {id, m.start(), m.end()});
        }
        int n = spans.size();
        int[] out = new int[n];
        String[] tokens = new String[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = spans.get(i)[0];
            tokens[i] = words.get(out[i]);
            starts[i] = spans.get(i)[1];
            ends[i] = spans.get(i)[2];
        }
        return new Encoding(out, tokens, starts, ends, text);
    }

    @Override
    public String decode(int[] tokenIds, boolean skipSpecialTokens) {
        StringBuilder out = new StringBuilder();
        for (int id : tokenIds) {
            if (id == ByteTokenizer.EOS) {
                out.append(skipSpecialTokens ? "" : "<eos>");
            } else {
                out.append(token(id));
            }
        }
        return out.toString();
    }

    @Override
    public String token(int id) {
        return id == ByteTokenizer.EOS ? "<eos>" : id < words.size() ? words.get(id) : "<unused" + id + ">";
    }

    @Override
    public OptionalInt tokenId(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return ByteTokenizer.VOCAB;
    }
}
