package dev.sextant.plugins.onnx;

import static dev.sextant.plugins.onnx.TinyMaskedLmGraph.intAttribute;
import static dev.sextant.plugins.onnx.TinyMaskedLmGraph.intsAttribute;
import static dev.sextant.plugins.onnx.TinyMaskedLmGraph.node;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny ONNX graph shaped like a one-layer causal-LM export with a KV cache (one key/value
 * head of size 1), with or without a {@code logits_to_keep} input. Its logits are known:
 * {@code logits[b, s, j] = (input_ids[b, s] + 1) * j / 4 + position_ids[b, s]}, so the next-token
 * logits of a sequence depend on its last token and its length, and log-probabilities on the token
 * before. {@code present.0.*} is the past with the new ids (as floats) appended.
 */
final class TinyCausalLmGraph {

    static final int FLOAT = 1;
    static final int INT64 = 7;

    int vocab = 6;
    /** ONNX element type of {@code logits_to_keep}, or 0 for a graph without it (an Optimum export). */
    int logitsToKeepType = INT64;
    /** Its declared shape; an int64 scalar or [1] slices the logits, any other input is declared but unused. */
    long[] logitsToKeepShape = {};

    /** The expected next-token logits after {@code id} at position {@code position}. */
    float[] row(int id, int position) {
        float[] v = new float[vocab];
        for (int j = 0; j < vocab; j++) {
            v[j] = (id + 1) * j / 4f + position;
        }
        return v;
    }

    /** Writes model.onnx, config.json and (story-lm's) tokenizer.json into {@code folder}. */
    Path writeTo(Path folder) throws Exception {
        Files.write(folder.resolve("model.onnx"), bytes());
        JsonObject config = new JsonObject();
        config.addProperty("model_type", "tiny-causal");
        config.addProperty("num_hidden_layers", 1);
        config.addProperty("num_attention_heads", 1);
        config.addProperty("num_key_value_heads", 1);
        config.addProperty("head_dim", 1);
        config.addProperty("vocab_size", vocab);
        config.addProperty("max_position_embeddings", 64);
        config.addProperty("eos_token_id", 0);
        config.addProperty("pad_token_id", 0);
        Files.writeString(folder.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
        Files.copy(StoryLm.folder().resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        return folder;
    }

    byte[] bytes() {
        boolean scalar = logitsToKeepShape.length == 0;
        boolean slices = logitsToKeepType == INT64 && (scalar || logitsToKeepShape.length == 1 && logitsToKeepShape[0] == 1);
        OnnxProto graph = new OnnxProto();
        graph.message(1, node("Gather", new String[] {"W", "input_ids"}, "rows", intAttribute("axis", 0)));
        graph.message(1, node("Cast", new String[] {"position_ids"}, "pos_f", intAttribute("to", FLOAT)));
        graph.message(1, node("Unsqueeze", new String[] {"pos_f"}, "pos_3d", intsAttribute("axes", 2)));
        graph.message(1, node("Add", new String[] {"rows", "pos_3d"}, slices ? "all_logits" : "logits"));
        if (slices) {
            // logits[:, -k:] (all of them for k = 0 or k beyond the length: Slice clamps its start)
            graph.message(1, node("Neg", new String[] {"logits_to_keep"}, scalar ? "minus_k" : "starts"));
            if (scalar) {
                graph.message(1, node("Unsqueeze", new String[] {"minus_k"}, "starts", intsAttribute("axes", 0)));
            }
            graph.message(1, node("Slice", new String[] {"all_logits", "starts", "ends", "axes"}, "logits"));
        }
        graph.message(1, node("Cast", new String[] {"input_ids"}, "ids_f", intAttribute("to", FLOAT)));
        graph.message(1, node("Unsqueeze", new String[] {"ids_f"}, "new_kv", intsAttribute("axes", 1, 3)));
        for (String kind : new String[] {"key", "value"}) {
            graph.message(1, node("Concat", new String[] {"past_key_values.0." + kind, "new_kv"}, "present.0." + kind,
                    intAttribute("axis", 2)));
        }
        graph.string(2, "tiny_causal_lm");
        graph.message(5, weights());
        if (slices) {
            graph.message(5, longs("ends", Long.MAX_VALUE));
            graph.message(5, longs("axes", 1));
        }
        graph.message(11, OnnxProto.tensor("input_ids", INT64));
        graph.message(11, OnnxProto.tensor("attention_mask", INT64));
        graph.message(11, OnnxProto.tensor("position_ids", INT64));
        graph.message(11, OnnxProto.tensor("past_key_values.0.key", FLOAT));
        graph.message(11, OnnxProto.tensor("past_key_values.0.value", FLOAT));
        if (logitsToKeepType != 0) {
            graph.message(11, valueInfo("logits_to_keep", logitsToKeepType, logitsToKeepShape));
        }
        graph.message(12, valueInfo("logits", FLOAT, new long[] {-1, -1, vocab}));
        graph.message(12, OnnxProto.tensor("present.0.key", FLOAT));
        graph.message(12, OnnxProto.tensor("present.0.value", FLOAT));
        return OnnxProto.model(graph, 12);
    }

    /** TensorProto W [vocab, vocab] float, W[i][j] = (i + 1) j / 4. */
    private OnnxProto weights() {
        ByteBuffer raw = ByteBuffer.allocate(vocab * vocab * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vocab; i++) {
            for (int j = 0; j < vocab; j++) {
                raw.putFloat((i + 1) * j / 4f);
            }
        }
        return new OnnxProto().integer(1, vocab).integer(1, vocab).integer(2, FLOAT).string(8, "W")
                .bytes(9, raw.array());
    }

    /** TensorProto of one int64 value, shape [1]. */
    private static OnnxProto longs(String name, long value) {
        byte[] raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        return new OnnxProto().integer(1, 1).integer(2, INT64).string(8, name).bytes(9, raw);
    }

    /** ValueInfoProto with a declared shape; -1 marks a named (dynamic) dimension. */
    private static OnnxProto valueInfo(String name, int elementType, long[] shape) {
        OnnxProto dims = new OnnxProto();
        for (int i = 0; i < shape.length; i++) {
            dims.message(1, shape[i] < 0 ? new OnnxProto().string(2, "d" + i) : new OnnxProto().integer(1, shape[i]));
        }
        OnnxProto tensorType = new OnnxProto().integer(1, elementType).message(2, dims);
        return new OnnxProto().string(1, name).message(2, new OnnxProto().message(1, tensorType));
    }
}
