package dev.sextant.plugins.onnx;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sextant.spi.ModelException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The facts of a token-classification export that its ONNX graph does not say, read from
 * {@code config.json} (Hugging Face key names). A folder without config.json is allowed: its labels
 * are then named from the graph's output ({@code LABEL_0}, ...), and {@code max-length} must be given.
 *
 * @param modelType {@code model_type}, or {@code "unknown"}
 * @param vocabSize {@code vocab_size}, or -1 (the tokenizer's vocabulary size is reported then)
 * @param positionTable {@code max_position_embeddings}, or -1 if the file does not say
 * @param reservedPositions rows of the position table no token reaches (see {@link #PADDING_OFFSET_POSITIONS})
 * @param labels {@code id2label}'s names in id order, or {@code null} if the file has none
 * @param padTokenId {@code pad_token_id}, or -1
 * @param file the config.json read (which may not exist), for messages
 */
record TokenClassifierFacts(String modelType, int vocabSize, int positionTable, int reservedPositions,
        List<String> labels, int padTokenId, Path file) {

    /**
     * Model types whose graphs number positions from {@code pad_token_id + 1}, not from 0 (Hugging
     * Face's {@code create_position_ids_from_input_ids}): their position table has
     * {@code pad_token_id + 1} rows that no token reaches, so XLM-RoBERTa's 514 positions hold texts of
     * 512 tokens. A longer text would index past the table.
     */
    static final Set<String> PADDING_OFFSET_POSITIONS = Set.of("roberta", "roberta-prelayernorm", "xlm-roberta",
            "xlm-roberta-xl", "camembert", "data2vec-text", "longformer", "mpnet", "ibert", "xmod");

    TokenClassifierFacts {
        labels = labels == null ? null : List.copyOf(labels);
    }

    /** Reads {@code config.json} of a model folder, if it has one. */
    static TokenClassifierFacts read(Path folder) throws ModelException {
        ConfigJson config = ConfigJson.readOptional(folder.resolve("config.json"));
        String modelType = config.optString("model_type");
        int padTokenId = first(config.intSet("pad_token_id"));
        int positions = positive(config, "max_position_embeddings", "n_positions", "max_seq_len");
        int reserved = positions > 0 ? reservedPositions(config, modelType, padTokenId) : 0;
        if (positions > 0 && positions <= reserved) {
            throw new ModelException(config.file() + ": max_position_embeddings = " + positions + " leaves no "
                    + "position for a token: model_type " + modelType + " numbers positions from pad_token_id + 1 = "
                    + reserved);
        }
        return new TokenClassifierFacts(modelType == null ? "unknown" : modelType, positive(config, "vocab_size"),
                positions, reserved, labels(config), padTokenId, config.file());
    }

    /**
     * How many tokens one text may have as far as the position table allows:
     * {@code max_position_embeddings} less the rows a RoBERTa-style model reserves, or -1 if config.json
     * does not say.
     */
    int maxPositions() {
        return positionTable < 0 ? -1 : positionTable - reservedPositions;
    }

    /**
     * Rows of the position table that no token reaches: {@code pad_token_id + 1} for the model types
     * of {@link #PADDING_OFFSET_POSITIONS}, 0 for the others (BERT and most: positions 0, 1, ...).
     */
    static int reservedPositions(ConfigJson config, String modelType, int padTokenId) throws ModelException {
        if (modelType == null || !PADDING_OFFSET_POSITIONS.contains(modelType)) {
            return 0;
        }
        if (padTokenId < 0) {
            throw new ModelException(config.file() + " has no pad_token_id, which model_type " + modelType
                    + " needs: its positions are numbered from pad_token_id + 1");
        }
        return padTokenId + 1;
    }

    /**
     * {@code id2label}: an object from ids {@code "0"} ... {@code "n-1"}, each once, to names; the
     * names in id order, or {@code null} without the key.
     */
    private static List<String> labels(ConfigJson config) throws ModelException {
        if (!config.has("id2label")) {
            return null;
        }
        JsonElement element = config.root().get("id2label");
        if (!element.isJsonObject() || element.getAsJsonObject().size() == 0) {
            throw new ModelException(config.file() + ": id2label should map label ids \"0\", \"1\", ... to names, "
                    + "was " + element);
        }
        JsonObject map = element.getAsJsonObject();
        String[] names = new String[map.size()];
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey().strip());
            } catch (NumberFormatException ex) {
                throw new ModelException(config.file() + ": id2label has the key \"" + e.getKey() + "\"; label ids "
                        + "0.." + (names.length - 1) + " expected");
            }
            if (id < 0 || id >= names.length || names[id] != null) {
                throw new ModelException(config.file() + ": id2label's ids should be 0.." + (names.length - 1)
                        + ", each once (the order of the model's logits); it has " + map.keySet());
            }
            if (!e.getValue().isJsonPrimitive()) {
                throw new ModelException(config.file() + ": id2label's name of label " + id + " should be a string, "
                        + "was " + e.getValue());
            }
            names[id] = e.getValue().getAsString();
        }
        return Arrays.asList(names);
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
