package dev.sextant.plugins.onnx;

import dev.sextant.spi.ModelException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The facts of a masked-LM export that its ONNX graph does not say, read from {@code config.json}
 * (BERT, RoBERTa and similar key names).
 *
 * @param modelType {@code model_type}, or {@code "unknown"}
 * @param vocabSize logits per position
 * @param maxPositions the longest sequence the model accepts
 * @param maskTokenId {@code mask_token_id}, or -1 if the file has none (the tokenizer is asked then)
 * @param padTokenId {@code pad_token_id}, or -1
 * @param eosTokenIds {@code eos_token_id} (id or list), possibly empty
 * @param bosTokenId {@code bos_token_id}, or -1
 */
record MaskedLmConfig(
        String modelType,
        int vocabSize,
        int maxPositions,
        int maskTokenId,
        int padTokenId,
        Set<Integer> eosTokenIds,
        int bosTokenId) {

    MaskedLmConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /** Reads {@code config.json} of a model folder. */
    static MaskedLmConfig read(Path folder) throws ModelException {
        ConfigJson config = ConfigJson.read(folder.resolve("config.json"));
        String modelType = config.optString("model_type");
        int vocab = config.requireIntFor("needed to check token ids and shape the logits", "vocab_size");
        int maxPositions = config.requireIntFor("needed to refuse sequences the model cannot read",
                "max_position_embeddings", "n_positions", "max_seq_len");
        if (vocab <= 0 || maxPositions <= 0) {
            throw new ModelException(config.file() + ": " + (vocab <= 0 ? "vocab_size" : "max_position_embeddings")
                    + " must be positive, was " + (vocab <= 0 ? vocab : maxPositions));
        }
        return new MaskedLmConfig(modelType == null ? "unknown" : modelType, vocab, maxPositions,
                first(config.intSet("mask_token_id")), first(config.intSet("pad_token_id")),
                config.intSet("eos_token_id"), first(config.intSet("bos_token_id")));
    }

    private static int first(Set<Integer> ids) {
        return ids.isEmpty() ? -1 : ids.iterator().next();
    }
}
