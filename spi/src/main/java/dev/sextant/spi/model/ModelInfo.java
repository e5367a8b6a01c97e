package dev.sextant.spi.model;

import java.util.Map;
import java.util.Set;

/**
 * Facts about a model.
 *
 * @param name the model's name (usually its folder name)
 * @param architecture the {@code model_type} it was exported from, e.g. {@code gpt2}
 * @param vocabSize the number of logits per position; can exceed {@link Tokenizer#vocabSize()} when the
 *     embedding is padded
 * @param maxPositions the longest sequence (prompt and generated tokens) the model accepts
 * @param eosTokenIds ids that end a generation
 * @param bosTokenId the beginning-of-sequence id, or -1 if the model has none
 * @param padTokenId the id used for padding, or -1 if the model has none
 * @param provenance free-form facts for results: file checksums, export tool, settings
 */
public record ModelInfo(
        String name,
        String architecture,
        int vocabSize,
        int maxPositions,
        Set<Integer> eosTokenIds,
        int bosTokenId,
        int padTokenId,
        Map<String, String> provenance) {

    public ModelInfo {
        eosTokenIds = Set.copyOf(eosTokenIds);
        provenance = Map.copyOf(provenance);
    }
}
