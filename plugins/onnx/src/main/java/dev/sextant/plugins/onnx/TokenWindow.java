package dev.sextant.plugins.onnx;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.model.Encoding;
import java.util.Arrays;

/**
 * Cuts encodings to an encoder's {@code max-length} the way Hugging Face truncation does for one
 * text: the text's own tokens are cut from the right, and the special tokens the post-processor
 * puts around them ({@code [CLS] ... [SEP]}) stay. The tokenizer itself never truncates, so the
 * number of special tokens before and after a text is learnt once from a probe.
 */
final class TokenWindow {

    /** A text that any tokenizer encodes to at least one token of its own. */
    private static final String PROBE = "a";

    private final int maxLength;
    /** Special tokens after a text's own tokens. */
    private final int after;

    private TokenWindow(int maxLength, int after) {
        this.maxLength = maxLength;
        this.after = after;
    }

    /**
     * Learns where the tokenizer's special tokens go.
     *
     * @param source names the tokenizer in messages
     * @throws ConfigException if {@code maxLength} leaves no room for a text's own tokens
     * @throws ModelException if the tokenizer's special tokens do not surround the text
     */
    static TokenWindow of(DjlTokenizer tokenizer, int maxLength, String source) throws ConfigException, ModelException {
        int[] plain = tokenizer.encode(PROBE, false).ids();
        int[] framed = tokenizer.encode(PROBE, true).ids();
        int at = indexOf(framed, plain);
        if (plain.length == 0 || at < 0) {
            throw new ModelException(source + ": the special tokens its post-processor adds do not surround the "
                    + "text (" + Arrays.toString(framed) + " for the text's " + Arrays.toString(plain)
                    + "), so texts longer than max-length cannot be truncated keeping them");
        }
        int before = at;
        int after = framed.length - at - plain.length;
        if (maxLength <= before + after) {
            throw new ConfigException("max-length", "max-length " + maxLength + " leaves no room for a text: the "
                    + "tokenizer adds " + (before + after) + " special tokens to every text (give at least "
                    + (before + after + 1) + ")");
        }
        return new TokenWindow(maxLength, after);
    }

    /** The first index where {@code part} occurs in {@code whole}, or -1. */
    private static int indexOf(int[] whole, int[] part) {
        for (int i = 0; i + part.length <= whole.length; i++) {
            if (Arrays.equals(whole, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    int maxLength() {
        return maxLength;
    }

    /**
     * The encoding itself if it fits, else its first {@code max-length} tokens with the closing
     * special tokens moved up to follow them (their empty character span moves to the end of the
     * last kept token).
     *
     * @param encoding a text encoded with special tokens
     */
    Encoding cut(Encoding encoding) {
        int n = encoding.size();
        if (n <= maxLength) {
            return encoding;
        }
        int head = maxLength - after;
        int[] ids = new int[maxLength];
        String[] tokens = new String[maxLength];
        int[] starts = new int[maxLength];
        int[] ends = new int[maxLength];
        int[] words = new int[maxLength];
        System.arraycopy(encoding.wordIds(), 0, words, 0, head);
        System.arraycopy(encoding.ids(), 0, ids, 0, head);
        System.arraycopy(encoding.tokens(), 0, tokens, 0, head);
        System.arraycopy(encoding.starts(), 0, starts, 0, head);
        System.arraycopy(encoding.ends(), 0, ends, 0, head);
        int textEnd = ends[head - 1];
        for (int i = 0; i < after; i++) {
            int from = n - after + i;
            ids[head + i] = encoding.ids()[from];
            tokens[head + i] = encoding.tokens()[from];
            boolean empty = encoding.starts()[from] == encoding.ends()[from];
            starts[head + i] = empty ? textEnd : encoding.starts()[from];
            ends[head + i] = empty ? textEnd : encoding.ends()[from];
            words[head + i] = empty ? -1 : encoding.wordIds()[from];
        }
        return new Encoding(ids, tokens, starts, ends, words);
    }
}
