package dev.sextant.host.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.Span;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code compression} slot: what a compress step kept and dropped of the prompt, in a form that
 * serialises to plain JSON and that the renderers read.
 *
 * @param compressor the compressor component's name
 * @param budget the budget asked for, e.g. {@code rate 0.5}
 * @param head the part of the prompt before {@code keep-until}'s end, passed on unchanged (empty if none)
 * @param original the compressed part of the prompt, before compression
 * @param text that part after compression
 * @param kept spans of {@code original} kept
 * @param dropped spans of {@code original} dropped
 * @param words per-word keep scores over {@code original}
 * @param originalTokens tokens of {@code original}
 * @param compressedTokens tokens of {@code text}
 * @param achievedRate compressed over original tokens
 * @param tail the part of the prompt after {@code keep-from}, passed on unchanged (empty if none)
 * @param info the compressor's method, settings and timings
 */
public record CompressionReport(
        String compressor,
        String budget,
        String head,
        String original,
        String text,
        List<Span> kept,
        List<Span> dropped,
        List<Word> words,
        @JsonProperty("original_tokens") int originalTokens,
        @JsonProperty("compressed_tokens") int compressedTokens,
        @JsonProperty("achieved_rate") double achievedRate,
        String tail,
        Map<String, Object> info) {

    /** The report of one compression. */
    public static CompressionReport of(String compressor, String budget, String head, String original,
            String tail, Compression c) {
        List<Word> words = c.words().stream().map(w -> new Word(w.word(), w.span(), w.keepScore(), w.kept())).toList();
        return new CompressionReport(compressor, budget, head, original, c.text(), c.kept(), c.dropped(), words,
                c.originalTokens(), c.compressedTokens(), c.achievedRate(), tail, c.info());
    }

    /**
     * One scored word as the report writes it (snake_case, like the rest of the report).
     *
     * @param word the word's text
     * @param span its chars in {@code original}
     * @param keepScore the compressor's keep score (higher is kept first)
     * @param kept whether the output has it
     */
    public record Word(String word, Span span, @JsonProperty("keep_score") double keepScore, boolean kept) {
    }

    /** The compression in a run's slots, if a compress step ran. */
    public static Optional<CompressionReport> in(Map<String, Object> slots) {
        return slots.get(RunContext.COMPRESSION) instanceof CompressionReport r ? Optional.of(r) : Optional.empty();
    }
}
