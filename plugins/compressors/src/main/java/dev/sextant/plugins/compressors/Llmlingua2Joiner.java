package dev.sextant.plugins.compressors;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the compressed text of one segment (the whole context, or one JSON string value) from the
 * kept words, and the kept and dropped spans.
 *
 * <p>A kept word after a kept word gets the original text between them (so the original whitespace
 * and line breaks stay). After a run of dropped words, the run's whitespace collapses to one
 * separator: the first gap of the run holding a whitespace force token (e.g. a line break, so
 * paragraphs and Markdown lines stay apart), else the kept word's own original whitespace, else (the
 * kept word touched the dropped one before it) a single space where the run had any, unless the kept
 * word starts with closing punctuation. A dropped word keeps its forced prefix or suffix (the
 * {@code ,} of {@code word,}); a suffix is written straight after the kept text before it. With drop-repeated-force-tokens, a forced token that dropping brought
 * next to a copy of itself ({@code , , ,}) is written once. One pass over the words.
 */
final class Llmlingua2Joiner {

    /** Characters that attach to the text before them: no space is put before a kept word starting with one. */
    private static final String CLOSING = ".,;:!?)]}%'\"\u00bb\u201d\u2019\u2026";

    private final List<String> blankForceTokens;
    private final boolean dropRepeated;

    Llmlingua2Joiner(List<String> forceTokens, boolean dropRepeated) {
        List<String> blank = new ArrayList<>();
        for (String token : forceTokens) {
            if (token.isBlank()) {
                blank.add(token);
            }
        }
        this.blankForceTokens = List.copyOf(blank);
        this.dropRepeated = dropRepeated;
    }

    /** Spans in the classified text's offsets, as start/end pairs, adjacent ones already merged. */
    static final class Spans {
        int[] kept = new int[16];
        int keptSize;
        int[] dropped = new int[16];
        int droppedSize;

        private int[] add(int[] a, int size, int start, int end) {
            if (size + 2 > a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[size] = start;
            a[size + 1] = end;
            return a;
        }

        void addKept(int start, int end) {
            kept = add(kept, keptSize, start, end);
            keptSize += 2;
        }

        void addDropped(int start, int end) {
            dropped = add(dropped, droppedSize, start, end);
            droppedSize += 2;
        }
    }

    /**
     * Joins the kept words {@code [wordFrom, wordTo)} of the segment {@code text[segmentStart, segmentEnd)}.
     *
     * @param kept which words are kept; a forced token dropped as a repeat is set to false here
     * @param spans where the segment's spans are added
     */
    String join(String text, Llmlingua2Words words, boolean[] kept, int segmentStart, int segmentEnd, int wordFrom,
            int wordTo, Spans spans) {
        Segment segment = new Segment(text, segmentStart, spans);
        for (int w = wordFrom; w < wordTo; w++) {
            int s = words.start[w];
            int e = words.end[w];
            if (kept[w]) {
                if (!segment.atom(s, e, true, words.forceToken[w], false)) {
                    kept[w] = false;
                }
            } else {
                int p = words.prefixEnd[w];
                int q = words.suffixStart[w];
                segment.atom(s, p, true, true, false);
                segment.atom(p, q, false, false, false);
                segment.atom(q, e, true, true, true);
            }
        }
        segment.finish(segmentEnd);
        return segment.out.toString();
    }

    /** The state of one segment's pass. */
    private final class Segment {
        final String text;
        final Spans spans;
        final StringBuilder out = new StringBuilder();
        int previousEnd;
        boolean anyAtom;
        boolean previousKept;
        boolean anyKept;
        /** Since the last kept atom: the first gap holding a whitespace force token (-1 if none). */
        int forcedGapStart = -1;
        int forcedGapEnd;
        /** Since the last kept atom: whether any gap was not empty. */
        boolean runHadSpace;
        int lastKeptStart;
        int lastKeptEnd;

        Segment(String text, int segmentStart, Spans spans) {
            this.text = text;
            this.spans = spans;
            this.previousEnd = segmentStart;
        }

        /**
         * Adds one atom; returns false if a kept forced token was dropped as a repeat.
         *
         * @param suffix a dropped word's forced suffix: written right after the kept text before it
         *     (as a tokenizer writes a token without a space marker), unless a forced line break comes first
         */
        boolean atom(int s, int e, boolean keep, boolean forceToken, boolean suffix) {
            if (e <= s) {
                return true;
            }
            boolean accepted = true;
            if (keep && forceToken && dropRepeated && anyKept && !previousKept && endsWith(lastKeptStart,
                    lastKeptEnd, s, e)) {
                keep = false;
                accepted = false;
            }
            int gapStart = previousEnd;
            if (keep) {
                if (!anyAtom || previousKept) {
                    out.append(text, gapStart, s); // leading whitespace, or the gap between two kept atoms
                } else if (anyKept) {
                    out.append(separator(gapStart, s, suffix));
                }
                out.append(text, s, e);
                if (previousKept) {
                    spans.kept[spans.keptSize - 1] = e;
                } else {
                    spans.addKept(s, e);
                }
                anyKept = true;
                lastKeptStart = s;
                lastKeptEnd = e;
                forcedGapStart = -1;
                runHadSpace = false;
            } else {
                noteGap(gapStart, s);
                if (anyAtom && !previousKept) {
                    spans.dropped[spans.droppedSize - 1] = e;
                } else {
                    spans.addDropped(s, e);
                }
            }
            previousKept = keep;
            anyAtom = true;
            previousEnd = e;
            return accepted;
        }

        void finish(int segmentEnd) {
            if (!anyKept) {
                return;
            }
            if (previousKept) {
                out.append(text, previousEnd, segmentEnd);
                return;
            }
            noteGap(previousEnd, segmentEnd);
            if (forcedGapStart >= 0) {
                out.append(text, forcedGapStart, forcedGapEnd);
            }
        }

        private void noteGap(int s, int e) {
            if (e <= s) {
                return;
            }
            runHadSpace = true;
            if (forcedGapStart < 0 && holdsBlankForceToken(s, e)) {
                forcedGapStart = s;
                forcedGapEnd = e;
            }
        }

        /** The separator before a kept atom after dropped ones, its own gap being {@code [s, e)}. */
        private CharSequence separator(int s, int e, boolean suffix) {
            noteGap(s, e);
            if (forcedGapStart >= 0) {
                return text.subSequence(forcedGapStart, forcedGapEnd);
            }
            if (e > s) {
                return text.subSequence(s, e);
            }
            // The kept atom touched the dropped word before it: a space only if the run had one and the
            // atom does not attach leftwards (closing punctuation, a forced suffix).
            return runHadSpace && !suffix && CLOSING.indexOf(text.charAt(e)) < 0 ? " " : "";
        }

        private boolean holdsBlankForceToken(int s, int e) {
            for (String token : blankForceTokens) {
                for (int i = s; i + token.length() <= e; i++) {
                    if (text.startsWith(token, i)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether {@code text[ls, le)} ends with {@code text[s, e)}. */
        private boolean endsWith(int ls, int le, int s, int e) {
            int length = e - s;
            return le - ls >= length && text.regionMatches(le - length, text, s, length);
        }
    }
}
