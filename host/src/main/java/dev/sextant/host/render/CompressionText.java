package dev.sextant.host.render;

import dev.sextant.host.pipeline.CompressionReport;
import dev.sextant.spi.compress.Span;
import java.util.Locale;

/**
 * A compression for a terminal: a summary line, then the original text with the dropped parts
 * dimmed (in colour) or marked {@code [-like this-]} (without colour, as wdiff marks deletions).
 */
public final class CompressionText {

    private static final String DIM = "\u001b[2m";
    private static final String UNDIM = "\u001b[22m";

    private CompressionText() {
    }

    /** The summary and the marked text, each ending in a newline. */
    public static String render(CompressionReport report, boolean colour) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "compression (%s, %s): %d -> %d tokens, rate %.2f%n",
                report.compressor(), report.budget(), report.originalTokens(), report.compressedTokens(),
                report.achievedRate()));
        String original = report.original();
        StringBuilder marked = new StringBuilder();
        int at = 0;
        for (Span span : report.dropped()) {
            int start = Math.min(Math.max(span.start(), at), original.length());
            int end = Math.min(span.end(), original.length());
            marked.append(original, at, start);
            if (end > start) {
                marked.append(colour ? DIM : "[-").append(original, start, end).append(colour ? UNDIM : "-]");
            }
            at = Math.max(at, end);
        }
        marked.append(original.substring(Math.min(at, original.length())));
        out.append("  ").append((report.head() + marked + report.tail()).replace("\n", "\n  ")).append('\n');
        return out.toString();
    }
}
