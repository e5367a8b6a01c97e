package dev.sextant.plugins.onnx;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.TokenRange;
import dev.sextant.spi.model.Tokenizer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The special tokens a tokenizer's post-processor puts around one text ({@code [CLS] ... [SEP]} for
 * BERT, {@code <s> ... </s>} for RoBERTa and XLM-R), read off the tokenizer itself by encoding a probe
 * with and without them, so that a range of an existing encoding can be wrapped as the model expects
 * without encoding its text again.
 */
final class SpecialTokens {

    private final Encoding prefix;
    private final Encoding suffix;

    private SpecialTokens(Encoding prefix, Encoding suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * The tokenizer's single-text template, or empty if the probe's plain tokens do not appear as one run
     * inside its encoding with special tokens (a post-processor that rewrites tokens).
     */
    static Optional<SpecialTokens> of(Tokenizer tokenizer) {
        for (String probe : new String[] {"a", "hello", "1"}) {
            Encoding with = tokenizer.encode(probe, true);
            Encoding without = tokenizer.encode(probe, false);
            int at = indexOf(with.ids(), without.ids());
            if (without.size() > 0 && at >= 0) {
                return Optional.of(new SpecialTokens(slice(with, 0, at), slice(with, at + without.size(), with.size())));
            }
        }
        return Optional.empty();
    }

    /** Number of special tokens added to one text. */
    int count() {
        return prefix.size() + suffix.size();
    }

    /**
     * Tokens {@code range} of {@code encoding} with the special tokens around them: the prefix's span
     * empty at the range's first char, the suffix's at its last, their word ids -1.
     */
    Encoding wrap(Encoding encoding, TokenRange range) {
        int n = range.size();
        int size = prefix.size() + n + suffix.size();
        int[] ids = new int[size];
        String[] tokens = new String[size];
        int[] starts = new int[size];
        int[] ends = new int[size];
        int[] wordIds = new int[size];
        int first = n == 0 ? 0 : encoding.starts()[range.from()];
        int last = n == 0 ? first : encoding.ends()[range.to() - 1];
        int k = 0;
        for (int t = 0; t < prefix.size(); t++, k++) {
            ids[k] = prefix.ids()[t];
            tokens[k] = prefix.tokens()[t];
            starts[k] = first;
            ends[k] = first;
            wordIds[k] = -1;
        }
        System.arraycopy(encoding.ids(), range.from(), ids, k, n);
        System.arraycopy(encoding.tokens(), range.from(), tokens, k, n);
        System.arraycopy(encoding.starts(), range.from(), starts, k, n);
        System.arraycopy(encoding.ends(), range.from(), ends, k, n);
        System.arraycopy(encoding.wordIds(), range.from(), wordIds, k, n);
        k += n;
        for (int t = 0; t < suffix.size(); t++, k++) {
            ids[k] = suffix.ids()[t];
            tokens[k] = suffix.tokens()[t];
            starts[k] = last;
            ends[k] = last;
            wordIds[k] = -1;
        }
        return new Encoding(ids, tokens, starts, ends, wordIds);
    }

    private static int indexOf(int[] haystack, int[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static Encoding slice(Encoding e, int from, int to) {
        return new Encoding(Arrays.copyOfRange(e.ids(), from, to), Arrays.copyOfRange(e.tokens(), from, to),
                Arrays.copyOfRange(e.starts(), from, to), Arrays.copyOfRange(e.ends(), from, to),
                Arrays.copyOfRange(e.wordIds(), from, to));
    }
}
