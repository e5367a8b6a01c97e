package dev.sextant.spi.model;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.List;

/**
 * A token-classification model (a BERT-style encoder with a per-token head, as Hugging Face
 * exports {@code token-classification}): one probability per label for every token. LLMLingua-2
 * style compressors read the probability of a "keep" label.
 */
public interface TokenClassifier extends Model {

    /** Label names in output order, e.g. {@code [drop, keep]} (config.json's {@code id2label}). */
    List<String> labels();

    /** The most tokens one text may have, special tokens included; longer texts must be split by the caller. */
    int maxLength();

    /**
     * Classifies every token of each text, batching internally.
     *
     * @return one result per text, in order
     * @throws dev.sextant.spi.InputException if a text has more than {@link #maxLength()} tokens
     */
    List<TokenLabels> classify(List<String> texts, RunLimits limits) throws SextantException;
}
