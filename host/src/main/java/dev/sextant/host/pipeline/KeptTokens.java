package dev.sextant.host.pipeline;

import dev.sextant.spi.model.Tokenizer;
import java.util.Arrays;

/**
 * Which generated tokens lie inside a generation's kept text.
 *
 * <p>A generate step cuts its text before a stop string and skips special tokens, but its token
 * ids still end with the token(s) that spelt the stop string, or with the end-of-text token.
 * Attributing those would explain text the user never sees, so an attribution takes the longest
 * run of leading ids whose decoding is a prefix of the kept text, and then drops trailing ids that
 * add no text (an end-of-text token). A token that straddles the cut (part kept text, part stop
 * string) is left out as well: its text is not all inside.
 */
final class KeptTokens {

    private KeptTokens() {
    }

    /** How many leading {@code ids} spell a prefix of {@code kept}. */
    static int count(Tokenizer tokenizer, int[] ids, String kept) {
        int count = ids.length;
        String decoded = decode(tokenizer, ids, count);
        // Not a loop that stops at the first mismatch: a prefix that ends inside a multi-byte
        // character decodes to U+FFFD, yet the next token may complete it.
        while (count > 0 && !kept.startsWith(decoded)) {
            count--;
            decoded = decode(tokenizer, ids, count);
        }
        while (count > 0) {
            String shorter = decode(tokenizer, ids, count - 1);
            if (!shorter.equals(decoded)) {
                break;
            }
            count--;
        }
        return count;
    }

    /** The text of the first {@code count} ids, as the generate step decoded it. */
    static String decode(Tokenizer tokenizer, int[] ids, int count) {
        return count == 0 ? "" : tokenizer.decode(Arrays.copyOf(ids, count), true);
    }
}
