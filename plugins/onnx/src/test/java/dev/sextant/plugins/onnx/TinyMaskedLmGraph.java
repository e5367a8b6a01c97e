package dev.sextant.plugins.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes tiny ONNX graphs shaped like a masked-LM export, with names and types that tests can get
 * wrong on purpose. The logits are known: {@code logits[b, s] = W[input_ids[b, s]] + attention_mask[b, s]
 * + token_type_ids[b, s]} with {@code W[i][j] = 10 i + j}, so a test sees what was fed.
 */
final class TinyMaskedLmGraph {

    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    int vocab = 6;
    String idsName = "input_ids";
    int idsType = INT64;
    boolean tokenTypeIds;
    /** An int64 input the loader does not know, or null. */
    String extraInput;
    String outputName = "logits";
    int outputType = FLOAT;

    /** The expected logits row of token {@code id} at a real position with token type 0. */
    float[] row(int id) {
        float[] v = new float[vocab];
        for (int j = 0; j < vocab; j++) {
            v[j] = 10 * id + j + 1;
        }
        return v;
    }

    /** Writes model.onnx into {@code folder}. */
    Path writeTo(Path folder) throws Exception {
        return Files.write(folder.resolve("model.onnx"), bytes());
    }

    byte[] bytes() {
        OnnxProto graph = new OnnxProto();
        String ids = idsName;
        if (idsType != INT64) {
            graph.message(1, node("Cast", new String[] {idsName}, "ids64", intAttribute("to", INT64)));
            ids = "ids64";
        }
        graph.message(1, node("Gather", new String[] {"W", ids}, "rows", intAttribute("axis", 0)));
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
        graph.message(1, node("Add", new String[] {"rows", "offset_3d"}, "y"));
        graph.message(1, outputType == FLOAT ? node("Identity", new String[] {"y"}, outputName)
                : node("Cast", new String[] {"y"}, outputName, intAttribute("to", outputType)));
        graph.string(2, "tiny_masked_lm");
        graph.message(5, weights());
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

    /** TensorProto W [vocab, vocab] float, W[i][j] = 10 i + j. */
    private OnnxProto weights() {
        ByteBuffer raw = ByteBuffer.allocate(vocab * vocab * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vocab; i++) {
            for (int j = 0; j < vocab; j++) {
                raw.putFloat(10 * i + j);
            }
        }
        return new OnnxProto().integer(1, vocab).integer(1, vocab).integer(2, FLOAT).string(8, "W")
                .bytes(9, raw.array());
    }

    /** ValueInfoProto of the output: [batch, sequence, vocab]. */
    private OnnxProto logitsInfo() {
        OnnxProto shape = new OnnxProto()
                .message(1, new OnnxProto().string(2, "batch"))
                .message(1, new OnnxProto().string(2, "sequence"))
                .message(1, new OnnxProto().integer(1, vocab));
        OnnxProto tensorType = new OnnxProto().integer(1, outputType).message(2, shape);
        return new OnnxProto().string(1, outputName).message(2, new OnnxProto().message(1, tensorType));
    }

    static OnnxProto node(String op, String[] inputs, String output, OnnxProto... attributes) {
        OnnxProto node = new OnnxProto();
        for (String input : inputs) {
            node.string(1, input);
        }
        node.string(2, output).string(3, output).string(4, op);
        for (OnnxProto attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    static OnnxProto intAttribute(String name, long value) {
        return new OnnxProto().string(1, name).integer(3, value).integer(20, 2);
    }

    static OnnxProto intsAttribute(String name, long... values) {
        OnnxProto attribute = new OnnxProto().string(1, name);
        for (long v : values) {
            attribute.integer(8, v);
        }
        return attribute.integer(20, 7);
    }
}
