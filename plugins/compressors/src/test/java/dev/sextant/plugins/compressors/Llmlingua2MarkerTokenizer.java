package dev.sextant.plugins.compressors;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * {@link ByteTokenizer} with byte-level BPE's quirk: a text that does not start with whitespace spells
 * its first character with one token more (as {@code seoul} at the start of a text costs more tokens than
 * {@code Ġseoul} after a space). So a compressed text, which starts at its first kept word, counts
 * differently from the sum of its words' costs in context.
 */
final class Llmlingua2MarkerTokenizer implements Tokenizer {

    private final ByteTokenizer bytes = new ByteTokenizer();

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        Encoding e = bytes.encode(text, addSpecialTokens);
        if (text.isEmpty() || Character.isWhitespace(text.charAt(0))) {
            return e;
        }
        int n = e.size() + 1;
        int[] ids = new int[n];
        String[] tokens = new String[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] words = new int[n];
        ids[0] = e.ids()[0];
        tokens[0] = e.tokens()[0];
        starts[0] = e.starts()[0];
        ends[0] = e.ends()[0];
        words[0] = e.wordIds()[0];
        System.arraycopy(e.ids(), 0, ids, 1, e.size());
        System.arraycopy(e.tokens(), 0, tokens, 1, e.size());
        System.arraycopy(e.starts(), 0, starts, 1, e.size());
        System.arraycopy(e.ends(), 0, ends, 1, e.size());
        System.arraycopy(e.wordIds(), 0, words, 1, e.size());
        return new Encoding(ids, tokens, starts, ends, words);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return bytes.decode(Arrays.copyOfRange(ids, 1, ids.length), skipSpecialTokens);
    }

    @Override
    public String token(int id) {
        return bytes.token(id);
    }

    @Override
    public OptionalInt tokenId(String token) {
        return bytes.tokenId(token);
    }

    @Override
    public int vocabSize() {
        return bytes.vocabSize();
    }

    @Override
    public String toString() {
        return "marker bytes";
    }
}
