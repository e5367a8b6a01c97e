package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import java.util.List;

/**
 * Options of the {@code llmlingua2} compressor.
 *
 * @param model the token classifier that gives each token a keep probability
 * @param keepLabel the classifier label whose probability is a token's keep score
 * @param wordScore how a word's sub-token probabilities merge: {@code mean} or {@code first}
 * @param forceTokens strings always kept
 * @param keepDigits whether words containing a digit are always kept
 * @param dropRepeatedForceTokens whether consecutive duplicates of a forced token left by dropping
 *     are reduced to one
 * @param structure {@code none} or {@code json}
 * @param relevance how sentences are ranked against the question: {@code none}, {@code bm25} or
 *     {@code encoder}
 * @param relevanceEncoder the encoder component of {@code relevance: encoder}
 * @param relevanceWeight how strongly relevance raises a word's priority
 */
public record Llmlingua2Config(
        @Option(description = "The token classifier (e.g. an onnx-token-classifier component) that gives each"
                + " token a keep probability.", required = true, reference = ComponentKind.MODEL)
        String model,
        @Option(description = "The classifier label whose probability is a token's keep score; a LLMLingua-2"
                + " export without label names has LABEL_0/LABEL_1, where LABEL_1 is keep.", defaultValue = "keep")
        String keepLabel,
        @Option(description = "How the keep probabilities of a word's sub-word tokens merge into the word's"
                + " score: mean (their average) or first (the first token's).", defaultValue = "mean")
        String wordScore,
        @Option(description = "Strings always kept: a word that is one of them is never dropped, one that begins"
                + " or ends with one keeps that part when dropped, and whitespace ones (\"\\n\") are kept between"
                + " kept words, e.g. [\"\\n\", \"?\", \",\"].", defaultValue = "[\"\\n\"]")
        List<String> forceTokens,
        @Option(description = "Whether words containing a digit are always kept.", defaultValue = "true")
        boolean keepDigits,
        @Option(description = "Whether consecutive copies of a forced token that dropping left side by side"
                + " (\", , ,\") are reduced to one.", defaultValue = "true")
        boolean dropRepeatedForceTokens,
        @Option(description = "none: compress the context as text; json: if it is a JSON object or array, keep"
                + " keys, numbers and punctuation and compress only string values (output stays valid JSON).",
                defaultValue = "none")
        String structure,
        @Option(description = "Question-aware selection (LongLLMLingua's coarse ranking, per sentence): none"
                + " (LLMLingua-2 as published: the context alone decides), bm25 (sentences ranked by Okapi BM25"
                + " against the question, no model) or encoder (cosine similarity of relevance-encoder's vectors)."
                + " Under a rate or token budget the least relevant sentences then lose words first; a threshold"
                + " still applies to the classifier's probabilities alone. Needs the request's question (the"
                + " compress step passes what follows keep-from).", defaultValue = "none")
        String relevance,
        @Option(description = "The encoder (e.g. an onnx-encoder component) of relevance: encoder.",
                reference = ComponentKind.MODEL)
        String relevanceEncoder,
        @Option(description = "How strongly relevance orders the words: a word is chosen by keep probability"
                + " x (1 + weight x relevance), relevance 0 for the least relevant sentence and 1 for the most;"
                + " 0 turns it off.", defaultValue = "1.0")
        double relevanceWeight) {

    /** The {@code word-score} values. */
    public static final List<String> WORD_SCORES = List.of("mean", "first");

    /** The {@code structure} values. */
    public static final List<String> STRUCTURES = List.of("none", "json");
}
