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
 * Writes tiny ONNX graphs shaped like a token-classification export, with names and types that
 * tests can get wrong on purpose. The logits are known:
 * {@code logits[b, s, j] = W[input_ids[b, s]][j] + s P[j] + (attention_mask[b, s] + token_type_ids[b, s]) M[j]},
 * where {@code s} is the index in the row as a BERT-style graph numbers positions (so left padding
 * or a batch that moves a text would show) and {@link #w}, {@link #p}, {@link #m} are fixed functions.
 */
final class TinyTokenClassifierGraph {

    static final int FLOAT = TinyMaskedLmGraph.FLOAT;
    static final int INT64 = TinyMaskedLmGraph.INT64;
    static final int DOUBLE = TinyMaskedLmGraph.DOUBLE;

    /** Rows of the embedding: story-lm's 3000 tokens. */
    int vocab = 3000;
    int labels = 2;
    /** Whether the output shape says the number of labels; if not, it is a named dimension. */
    boolean declareLabels = true;
    String idsName = "input_ids";
    int idsType = INT64;
    boolean tokenTypeIds;
    /** An int64 input the loader does not know, or null. */
    String extraInput;
    String outputName = "logits";
    int outputType = FLOAT;

    static float w(int id, int label) {
        return ((id * 7 + label * 3) % 11) * 0.5f - 2f;
    }

    static float p(int label) {
        return 0.03f * (label + 1) * (label % 2 == 0 ? 1 : -1);
    }

    static float m(int label) {
        return 0.25f * label;
    }

    /** The expected logits of token {@code id} at index {@code position} of its row (token type 0). */
    float[] logits(int id, int position) {
        float[] v = new float[labels];
        for (int j = 0; j < labels; j++) {
            v[j] = w(id, j) + position * p(j) + m(j);
        }
        return v;
    }

    /** The expected probabilities: the softmax of {@link #logits}, in double precision. */
    float[] probabilities(int id, int position) {
        float[] v = logits(id, position);
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : v) {
            sum += Math.exp(x - max);
        }
        float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = (float) (Math.exp(v[j] - max) / sum);
        }
        return out;
    }

    /** Writes model.onnx into {@code folder}. */
    Path writeTo(Path folder) throws Exception {
        return Files.write(folder.resolve("model.onnx"), bytes());
    }

    /**
     * A folder with this graph, story-lm's tokenizer.json and a config.json with {@code id2label}
     * {@code label0, label1, ...}, max_position_embeddings 512 and pad_token_id 0.
     */
    Path folder(Path dir) throws Exception {
        Files.createDirectories(dir);
        writeTo(dir);
        Files.copy(StoryLm.folder().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        JsonObject config = new JsonObject();
        config.addProperty("model_type", "tiny-tagger");
        config.addProperty("vocab_size", vocab);
        config.addProperty("max_position_embeddings", 512);
        config.addProperty("pad_token_id", 0);
        JsonObject id2label = new JsonObject();
        for (int j = 0; j < labels; j++) {
            id2label.addProperty(Integer.toString(j), "label" + j);
        }
        config.add("id2label", id2label);
        writeConfig(dir, config);
        return dir;
    }

    static void writeConfig(Path dir, JsonObject config) throws Exception {
        Files.writeString(dir.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        OnnxProto graph = new OnnxProto();
        String ids = idsName;
        if (idsType != INT64) {
            graph.message(1, node("Cast", new String[] {idsName}, "ids64", intAttribute("to", INT64)));
            ids = "ids64";
        }
        graph.message(1, node("Gather", new String[] {"W", ids}, "rows", intAttribute("axis", 0)));
        // positions 0, 1, ... along each row, whatever the mask says (as BERT numbers them)
        graph.message(1, node("Mul", new String[] {ids, "zero"}, "zeros"));
        graph.message(1, node("Add", new String[] {"zeros", "one"}, "ones"));
        graph.message(1, node("CumSum", new String[] {"ones", "axis1"}, "counts"));
        graph.message(1, node("Sub", new String[] {"counts", "one"}, "positions"));
        graph.message(1, node("Cast", new String[] {"positions"}, "positions_f", intAttribute("to", FLOAT)));
        graph.message(1, node("Unsqueeze", new String[] {"positions_f"}, "positions_3d", intsAttribute("axes", 2)));
        graph.message(1, node("Mul", new String[] {"positions_3d", "P"}, "by_position"));
        String offset = "attention_mask";
        if (tokenTypeIds) {
            graph.message(1, node("Add", new String[] {offset, "token_type_ids"}, "with_types"));
            offset = "with_types";
        }
        if (extraInput != null) {
            graph.message(1, node("Add", new String[] {offset, extraInput}, "with_extra"));
            offset = "with_extra";
        }
        graph.message(1, node("Cast", new String[] {offset}, "offset_f", intAttribute("to", FLOAT)));
        graph.message(1, node("Unsqueeze", new String[] {"offset_f"}, "offset_3d", intsAttribute("axes", 2)));
        graph.message(1, node("Mul", new String[] {"offset_3d", "M"}, "by_mask"));
        graph.message(1, node("Add", new String[] {"rows", "by_position"}, "y1"));
        graph.message(1, node("Add", new String[] {"y1", "by_mask"}, "y"));
        graph.message(1, outputType == FLOAT ? node("Identity", new String[] {"y"}, outputName)
                : node("Cast", new String[] {"y"}, outputName, intAttribute("to", outputType)));
        graph.string(2, "tiny_token_classifier");
        graph.message(5, weights());
        graph.message(5, vector("P", TinyTokenClassifierGraph::p));
        graph.message(5, vector("M", TinyTokenClassifierGraph::m));
        graph.message(5, scalar("zero", 0));
        graph.message(5, scalar("one", 1));
        graph.message(5, scalar("axis1", 1));
        graph.message(11, OnnxProto.tensor(idsName, idsType));
        graph.message(11, OnnxProto.tensor("attention_mask", INT64));
        if (tokenTypeIds) {
            graph.message(11, OnnxProto.tensor("token_type_ids", INT64));
        }
        if (extraInput != null) {
            graph.message(11, OnnxProto.tensor(extraInput, INT64));
        }
        graph.message(12, logitsInfo());
        return OnnxProto.model(graph, 12);
    }

    /** TensorProto W [vocab, labels] float. */
    private OnnxProto weights() {
        ByteBuffer raw = ByteBuffer.allocate(vocab * labels * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vocab; i++) {
            for (int j = 0; j < labels; j++) {
                raw.putFloat(w(i, j));
            }
        }
        return new OnnxProto().integer(1, vocab).integer(1, labels).integer(2, FLOAT).string(8, "W")
                .bytes(9, raw.array());
    }

    /** TensorProto [labels] float of {@code f(label)}. */
    private OnnxProto vector(String name, java.util.function.IntFunction<Float> f) {
        ByteBuffer raw = ByteBuffer.allocate(labels * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < labels; j++) {
            raw.putFloat(f.apply(j));
        }
        return new OnnxProto().integer(1, labels).integer(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** TensorProto of one int64, with no dimensions. */
    private static OnnxProto scalar(String name, long value) {
        ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return new OnnxProto().integer(2, INT64).string(8, name).bytes(9, raw.array());
    }

    /** ValueInfoProto of the output: [batch, sequence, labels]. */
    private OnnxProto logitsInfo() {
        OnnxProto shape = new OnnxProto()
                .message(1, new OnnxProto().string(2, "batch"))
                .message(1, new OnnxProto().string(2, "sequence"))
                .message(1, declareLabels ? new OnnxProto().integer(1, labels) : new OnnxProto().string(2, "labels"));
        OnnxProto tensorType = new OnnxProto().integer(1, outputType).message(2, shape);
        return new OnnxProto().string(1, outputName).message(2, new OnnxProto().message(1, tensorType));
    }
}
