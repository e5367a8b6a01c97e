package dev.sextant.plugins.compressors;

import dev.sextant.spi.Option;

/** Options of the {@code zipfit} data selector. */
public record ZipFitConfig(
        @Option(description = "The compressor whose output length measures information: gzip (deflate from the"
                + " JDK, as in the ZIP-FIT paper) or zstd (zstd-jni; faster, and sees further back than gzip's"
                + " 32 KiB window in long texts).", defaultValue = "gzip")
        String codec,
        @Option(description = "The codec's compression level; absent: 9 for gzip (1-9), 3 for zstd (1-22, or"
                + " negative for zstd's fast levels).")
        Integer level,
        @Option(description = "Keep at most this many candidates, the best, when a request sets no top-k;"
                + " absent: no count limit.", min = 1, unit = "candidates")
        Integer topK,
        @Option(description = "Keep only candidates whose score (mean of 1 - NCD over the targets; about 1 for a"
                + " copy of a target, near 0 for unrelated text) is at least this, when a request sets none;"
                + " absent: no score limit.")
        Double threshold,
        @Option(description = "Threads scoring candidates in parallel; absent: the number of available"
                + " processors. Scores do not depend on it.", min = 1, max = 1024, unit = "threads")
        Integer threads,
        @Option(description = "Text lists (target lists and candidate lists) whose compressed sizes are kept"
                + " between requests, keyed by a digest of their contents, least recently used dropped first; 0"
                + " turns the cache off.", defaultValue = "16", min = 0, unit = "lists")
        int sizeCache) {
}
