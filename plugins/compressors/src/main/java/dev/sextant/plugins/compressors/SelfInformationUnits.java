package dev.sextant.plugins.compressors;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.model.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a tokenized context into the units {@code self-information} keeps or drops whole. Every
 * unit is a run of consecutive tokens; together they cover every token once, in order.
 *
 * <ul>
 *   <li>{@code token}: one token, except that tokens sharing a character (the bytes of one
 *       multi-byte character split over tokens by a byte-level tokenizer) and tokens covering no
 *       text stay with the token before them, so no character is ever cut.
 *   <li>{@code word}: the tokens of one word, as {@link Encoding#wordIds()} says.
 *   <li>{@code phrase}: words up to and including one whose text ends in {@code , ; : . ! ?}
 *       (closing quotes and brackets after it are skipped), or up to a line break.
 *   <li>{@code sentence}: the same with {@code . ! ?} and line breaks only.
 * </ul>
 */
final class SelfInformationUnits {

    /** The unit names the {@code unit} option accepts. */
    static final List<String> NAMES = List.of("token", "word", "phrase", "sentence");

    private static final String PHRASE_ENDS = ",;:.!?";
    private static final String SENTENCE_ENDS = ".!?";
    private static final String CLOSERS = "\"')]}\u201d\u2019";

    private SelfInformationUnits() {
    }

    /**
     * One unit: tokens {@code [from, to)} and the characters they cover, trimmed of surrounding
     * whitespace ({@code start == end} for a unit of whitespace only).
     */
    record Unit(int index, int from, int to, int start, int end) {

        int tokens() {
            return to - from;
        }

        boolean blank() {
            return start == end;
        }
    }

    /** Reads the {@code unit} option. */
    static String parse(String unit) throws ConfigException {
        String given = unit == null ? "word" : unit.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(given)) {
            throw new ConfigException("unit", "unknown unit '" + unit + "'; choose one of " + NAMES);
        }
        return given;
    }

    /** The units of a context. */
    static List<Unit> split(String unit, String text, Encoding encoding) {
        int n = encoding.size();
        boolean[] starts = new boolean[n];
        int[] wordIds = encoding.wordIds();
        int atomEnd = -1;
        for (int i = 0; i < n; i++) {
            int s = encoding.starts()[i];
            int e = encoding.ends()[i];
            boolean coversText = e > s;
            // a new atom: the first token, or one covering text that starts where the previous atom ended
            boolean newAtom = i == 0 || (coversText && s >= atomEnd);
            if (coversText) {
                atomEnd = Math.max(atomEnd, e);
            }
            boolean newWord = i == 0 || (wordIds[i] >= 0 && wordIds[i] != lastWord(wordIds, i));
            starts[i] = switch (unit) {
                case "token" -> newAtom;
                default -> newAtom && newWord;
            };
        }
        List<int[]> runs = runs(starts);
        if (unit.equals("phrase") || unit.equals("sentence")) {
            runs = grouped(runs, text, encoding, unit.equals("phrase") ? PHRASE_ENDS : SENTENCE_ENDS);
        }
        List<Unit> units = new ArrayList<>(runs.size());
        for (int[] run : runs) {
            int[] span = span(text, encoding, run[0], run[1]);
            units.add(new Unit(units.size(), run[0], run[1], span[0], span[1]));
        }
        return units;
    }

    /** The word index of the nearest token before {@code i} that belongs to a word, or -1. */
    private static int lastWord(int[] wordIds, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (wordIds[k] >= 0) {
                return wordIds[k];
            }
        }
        return -1;
    }

    /** Token ranges {@code [from, to)} from run starts. */
    private static List<int[]> runs(boolean[] starts) {
        List<int[]> runs = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= starts.length; i++) {
            if (i == starts.length || starts[i]) {
                runs.add(new int[] {from, i});
                from = i;
            }
        }
        return runs;
    }

    /**
     * Groups word runs into phrases or sentences: a group ends after a word ending in one of
     * {@code ends}, and before a word with a line break between it and the previous word. Words of
     * whitespace only join the group they fall in.
     */
    private static List<int[]> grouped(List<int[]> words, String text, Encoding encoding, String ends) {
        List<int[]> groups = new ArrayList<>();
        int from = -1;
        int previousEnd = -1;
        for (int[] word : words) {
            int[] span = span(text, encoding, word[0], word[1]);
            boolean blank = span[0] == span[1];
            if (!blank && from >= 0 && previousEnd >= 0 && lineBreak(text, previousEnd, span[0])) {
                groups.add(new int[] {from, word[0]});
                from = -1;
            }
            if (from < 0) {
                from = word[0];
            }
            if (!blank) {
                previousEnd = span[1];
                if (endsWithAny(text, span[0], span[1], ends)) {
                    groups.add(new int[] {from, word[1]});
                    from = -1;
                }
            }
        }
        if (from >= 0) {
            groups.add(new int[] {from, words.get(words.size() - 1)[1]});
        }
        return groups;
    }

    private static boolean lineBreak(String text, int from, int to) {
        for (int k = Math.max(0, from); k < Math.min(to, text.length()); k++) {
            char c = text.charAt(k);
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithAny(String text, int start, int end, String ends) {
        int k = end - 1;
        while (k > start && CLOSERS.indexOf(text.charAt(k)) >= 0) {
            k--;
        }
        return ends.indexOf(text.charAt(k)) >= 0;
    }

    /** The characters tokens {@code [from, to)} cover, trimmed of whitespace: {@code {start, end}}. */
    static int[] span(String text, Encoding encoding, int from, int to) {
        int start = Integer.MAX_VALUE;
        int end = -1;
        for (int i = from; i < to; i++) {
            if (encoding.ends()[i] > encoding.starts()[i]) {
                start = Math.min(start, encoding.starts()[i]);
                end = Math.max(end, encoding.ends()[i]);
            }
        }
        if (end < 0) {
            return new int[] {0, 0};
        }
        start = Math.max(0, start);
        end = Math.min(text.length(), end);
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return start == end ? new int[] {0, 0} : new int[] {start, end};
    }
}
