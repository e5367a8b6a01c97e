package dev.sextant.plugins.onnx;

import dev.sextant.spi.ModelException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The facts of an encoder export that its ONNX graph may not say, read from an optional
 * {@code config.json} (BERT-style key names). An encoder needs none of them to run: each is
 * checked against the graph or the settings where present.
 *
 * @param modelType {@code model_type}, or {@code "unknown"}
 * @param vocabSize {@code vocab_size}, or -1 (the tokenizer's vocabulary size is reported then)
 * @param maxPositions {@code max_position_embeddings}, or -1 if the file does not say
 * @param hiddenSize {@code hidden_size}, or -1 (the graph's output shape, or a first call, tells)
 * @param padTokenId {@code pad_token_id}, or -1
 */
record EncoderFacts(String modelType, int vocabSize, int maxPositions, int hiddenSize, int padTokenId) {

    /**
     * The built-in all-MiniLM-L6-v2, whose jar has no config.json: the values of
     * sentence-transformers/all-MiniLM-L6-v2's (a 6-layer BERT).
     */
    static final EncoderFacts ALL_MINILM_L6_V2 = new EncoderFacts("bert", 30522, 512, 384, 0);

    /** Reads {@code config.json} of a model folder, if it has one. */
    static EncoderFacts read(Path folder) throws ModelException {
        ConfigJson config = ConfigJson.readOptional(folder.resolve("config.json"));
        String modelType = config.optString("model_type");
        return new EncoderFacts(modelType == null ? "unknown" : modelType,
                positive(config, "vocab_size"),
                positive(config, "max_position_embeddings", "n_positions", "max_seq_len"),
                positive(config, "hidden_size", "dim", "d_model"),
                first(config.intSet("pad_token_id")));
    }

    /** The first of {@code keys} present, which must be positive; -1 if none is. */
    private static int positive(ConfigJson config, String... keys) throws ModelException {
        Integer value = config.optInt(keys);
        if (value == null) {
            return -1;
        }
        if (value <= 0) {
            throw new ModelException(config.file() + ": " + String.join("/", keys) + " must be positive, was "
                    + value);
        }
        return value;
    }

    private static int first(Set<Integer> ids) {
        return ids.isEmpty() ? -1 : ids.iterator().next();
    }
}
