package dev.sextant.spi.decode;

import dev.sextant.spi.model.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one row's generated token ids into text as they arrive, and watches for stop strings.
 *
 * <p>Text is released only when it is final: never the tail of a multi-byte character still being
 * spelt by byte-level tokens (decoded as U+FFFD), and never a tail that might be the start of a
 * stop string. Not thread-safe; one per row.
 */
public final class TextStreamer {

    private static final char REPLACEMENT = '\uFFFD';

    private final Tokenizer tokenizer;
    private final List<String> stopStrings;
    private int[] ids = new int[16];
    private int size;
    private int released;
    private String text = "";
    private boolean stopped;

    public TextStreamer(Tokenizer tokenizer, List<String> stopStrings) {
        this.tokenizer = tokenizer;
        this.stopStrings = List.copyOf(stopStrings);
    }

    /**
     * Adds a token.
     *
     * @return the text that became final with it (possibly empty)
     */
    public String push(int tokenId) {
        if (stopped) {
            throw new IllegalStateException("the row already reached a stop string");
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = tokenId;
        String decoded = tokenizer.decode(Arrays.copyOf(ids, size), true);
        int stopAt = firstStop(decoded);
        if (stopAt >= 0) {
            stopped = true;
            text = decoded.substring(0, stopAt);
            return release(text.length());
        }
        text = decoded;
        int safeEnd = decoded.length();
        while (safeEnd > released && decoded.charAt(safeEnd - 1) == REPLACEMENT) {
            safeEnd--;
        }
        safeEnd -= longestStopPrefixSuffix(decoded, safeEnd);
        return release(Math.max(safeEnd, released));
    }

    /** Releases whatever text is still held back (call once generation of the row is over). */
    public String finish() {
        return release(text.length());
    }

    /** Whether the text has reached a stop string. */
    public boolean stopped() {
        return stopped;
    }

    /** The text so far, cut before a stop string if one was reached. */
    public String text() {
        return text;
    }

    private String release(int end) {
        if (end <= released) {
            return "";
        }
        String delta = text.substring(released, end);
        released = end;
        return delta;
    }

    private int firstStop(String decoded) {
        int best = -1;
        // A stop string can only newly appear near the end; searching from a little before the
        // released text keeps this linear over a generation.
        int from = Math.max(0, released - maxStopLength());
        for (String stop : stopStrings) {
            int at = decoded.indexOf(stop, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    private int maxStopLength() {
        int max = 0;
        for (String stop : stopStrings) {
            max = Math.max(max, stop.length());
        }
        return max;
    }

    /** Length of the longest suffix of decoded[0, end) that is a proper prefix of a stop string. */
    private int longestStopPrefixSuffix(String decoded, int end) {
        int best = 0;
        for (String stop : stopStrings) {
            for (int len = Math.min(stop.length() - 1, end); len > best; len--) {
                if (decoded.regionMatches(end - len, stop, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }
}
