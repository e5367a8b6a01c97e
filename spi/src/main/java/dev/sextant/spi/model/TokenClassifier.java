package dev.sextant.spi.model;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.ArrayList;
import java.util.List;

/**
 * A token-classification model (a BERT-style encoder with a per-token head, as Hugging Face
 * exports {@code token-classification}): one probability per label for every token. LLMLingua-2
 * style compressors read the probability of a "keep" label.
 */
public interface TokenClassifier extends Model {

    /** Label names in output order, e.g. {@code [drop, keep]} (config.json's {@code id2label}). */
    List<String> labels();

    /** The most tokens one text may have, special tokens included; longer texts must be split by the caller. */
    int maxLength();

    /**
     * Classifies every token of each text, batching internally.
     *
     * @return one result per text, in order
     * @throws dev.sextant.spi.InputException if a text has more than {@link #maxLength()} tokens
     */
    List<TokenLabels> classify(List<String> texts, RunLimits limits) throws SextantException;

    /**
     * Classifies ranges of one text that this classifier's {@link #tokenizer()} has already encoded
     * (without special tokens), e.g. the chunks of a long prompt, so that the text is tokenized once and
     * every result holds exactly the tokens of its range. Each result has its range's tokens with the
     * model's special tokens around them; offsets are in {@code text}; word ids compare only within one
     * result.
     *
     * <p>The default classifies each range's substring (from its first token's start to its last
     * token's end, less trailing whitespace) with {@link #classify(List, RunLimits)} and moves the offsets into {@code text}; a
     * tokenizer may spell a substring's first word differently from in context, so those results can
     * differ from the range by a token there. Implementations that can run token ids directly should.
     *
     * @param encoding {@code text} encoded by {@link #tokenizer()} without special tokens
     * @return one result per range, in order
     * @throws dev.sextant.spi.InputException if a range with special tokens is longer than {@link #maxLength()}
     */
    default List<TokenLabels> classify(String text, Encoding encoding, List<TokenRange> ranges, RunLimits limits)
            throws SextantException {
        List<String> pieces = new ArrayList<>(ranges.size());
        int[] shift = new int[ranges.size()];
        for (int r = 0; r < ranges.size(); r++) {
            TokenRange range = ranges.get(r);
            if (range.to() > encoding.size()) {
                throw new IllegalArgumentException("token range [" + range.from() + ", " + range.to()
                        + ") is outside an encoding of " + encoding.size() + " tokens");
            }
            int start = range.size() == 0 ? 0 : encoding.starts()[range.from()];
            int end = range.size() == 0 ? 0 : Math.max(start, encoding.ends()[range.to() - 1]);
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--; // trailing whitespace tokens (a line break) belong to no word of the range
            }
            pieces.add(text.substring(start, end));
            shift[r] = start;
        }
        List<TokenLabels> labels = classify(pieces, limits);
        List<TokenLabels> out = new ArrayList<>(labels.size());
        for (int r = 0; r < labels.size(); r++) {
            Encoding e = labels.get(r).encoding();
            int[] starts = e.starts().clone();
            int[] ends = e.ends().clone();
            for (int t = 0; t < starts.length; t++) {
                starts[t] += shift[r];
                ends[t] += shift[r];
            }
            out.add(new TokenLabels(new Encoding(e.ids(), e.tokens(), starts, ends, e.wordIds()),
                    labels.get(r).probabilities()));
        }
        return out;
    }
}
