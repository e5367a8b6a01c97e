package dev.sextant.plugins.onnx;

import dev.sextant.spi.ModelException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The facts of a causal LM export that its ONNX graph does not say: cache shapes, vocabulary,
 * context length and special ids, read from {@code config.json} (and {@code generation_config.json}
 * for special ids, which wins as in Hugging Face {@code generate}). Key names of GPT-2, Llama,
 * Qwen and similar configs are understood.
 *
 * @param modelType {@code model_type}, or {@code "unknown"}
 * @param layers transformer layers (one key and one value cache tensor each)
 * @param attentionHeads query heads
 * @param kvHeads key/value heads (fewer than query heads with grouped-query attention)
 * @param headDim size of one head
 * @param vocabSize logits per position
 * @param maxPositions the longest sequence the model accepts
 * @param eosTokenIds ids that end a generation
 * @param bosTokenId beginning-of-sequence id or -1
 * @param padTokenId padding id or -1
 */
record CausalLmConfig(
        String modelType,
        int layers,
        int attentionHeads,
        int kvHeads,
        int headDim,
        int vocabSize,
        int maxPositions,
        Set<Integer> eosTokenIds,
        int bosTokenId,
        int padTokenId) {

    CausalLmConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /** Reads {@code config.json} (required) and {@code generation_config.json} (optional) of a folder. */
    static CausalLmConfig read(Path folder) throws ModelException {
        ConfigJson config = ConfigJson.read(folder.resolve("config.json"));
        ConfigJson generation = ConfigJson.readOptional(folder.resolve("generation_config.json"));
        String modelType = config.optString("model_type");
        int layers = config.requireInt("num_hidden_layers", "n_layer", "num_layers");
        int heads = config.requireInt("num_attention_heads", "n_head", "num_heads");
        Integer kvHeads = config.optInt("num_key_value_heads", "num_kv_heads");
        if (kvHeads == null) {
            kvHeads = config.flag("multi_query") ? 1 : heads;
        }
        Integer headDim = config.optInt("head_dim");
        if (headDim == null) {
            Integer hidden = config.optInt("hidden_size", "n_embd", "d_model");
            if (hidden == null) {
                throw new ModelException(config.file() + " lacks both head_dim and hidden_size (or n_embd): "
                        + "one is needed to shape the KV cache");
            }
            if (hidden % heads != 0) {
                throw new ModelException(config.file() + ": hidden size " + hidden + " is not a multiple of "
                        + heads + " attention heads; give head_dim");
            }
            headDim = hidden / heads;
        }
        int vocab = config.requireInt("vocab_size");
        int maxPositions = config.requireInt("max_position_embeddings", "n_positions", "n_ctx", "max_seq_len",
                "seq_length");
        Set<Integer> eos = generation.has("eos_token_id") ? generation.intSet("eos_token_id")
                : config.intSet("eos_token_id");
        int bos = first(generation.has("bos_token_id") ? generation.intSet("bos_token_id")
                : config.intSet("bos_token_id"));
        int pad = first(generation.has("pad_token_id") ? generation.intSet("pad_token_id")
                : config.intSet("pad_token_id"));
        positive(config, "layers", layers);
        positive(config, "attention heads", heads);
        positive(config, "key/value heads", kvHeads);
        positive(config, "head size", headDim);
        positive(config, "vocab_size", vocab);
        positive(config, "maximum positions", maxPositions);
        if (heads % kvHeads != 0) {
            throw new ModelException(config.file() + ": " + heads + " attention heads are not a multiple of "
                    + kvHeads + " key/value heads");
        }
        return new CausalLmConfig(modelType == null ? "unknown" : modelType, layers, heads, kvHeads, headDim,
                vocab, maxPositions, eos, bos, pad);
    }

    private static void positive(ConfigJson config, String what, int value) throws ModelException {
        if (value <= 0) {
            throw new ModelException(config.file() + ": " + what + " must be positive, was " + value);
        }
    }

    private static int first(Set<Integer> ids) {
        return ids.isEmpty() ? -1 : ids.iterator().next();
    }
}
