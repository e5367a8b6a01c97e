package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code exact-extract} decoder.
 *
 * @param contextFrom where the context starts: after the first occurrence of this text in the prompt
 * @param contextUntil where the context ends: before the first occurrence of this text after its start
 * @param maxWords the longest answer considered, in words
 * @param end the text that must follow an answer (scored too, so that the model must end there)
 * @param maxCandidates the most spans scored per prompt
 */
public record ExactExtractConfig(
        @Option(description = "The context starts after the first occurrence of this text in the prompt (e.g."
                + " 'context :'); empty: at the prompt's start.", defaultValue = "")
        String contextFrom,
        @Option(description = "The context ends before the first occurrence of this text after its start (e.g."
                + " ' question :'); empty: at the prompt's end.", defaultValue = "")
        String contextUntil,
        @Option(description = "The longest answer considered, in words of the context.", defaultValue = "6", min = 1,
                max = 64, unit = "words")
        int maxWords,
        @Option(description = "Text the model must produce after the answer, scored with it, so that an answer"
                + " ends where the model would end it (story-lm ends answers with a line break).",
                defaultValue = "\"\\n\"")
        String end,
        @Option(description = "The most spans scored per prompt; a longer context is refused rather than cut.",
                defaultValue = "4096", min = 1)
        int maxCandidates) {
}
