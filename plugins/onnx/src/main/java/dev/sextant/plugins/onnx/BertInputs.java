package dev.sextant.plugins.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sextant.spi.ModelException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The inputs of a BERT-style graph, as Hugging Face exports encoders and masked language models:
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]}, optionally
 * {@code token_type_ids} (fed zeros: one segment), each int64 or int32. Checks a graph's inputs once
 * and builds the input tensors of each call.
 */
final class BertInputs {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OnnxJavaType idsType;
    private final OnnxJavaType maskType;
    /** The type of {@code token_type_ids}, or null if the graph has no such input. */
    private final OnnxJavaType typeIdsType;

    /**
     * @param source names the graph in messages
     * @param expected what such a graph takes and gives, appended to messages
     * @throws ModelException if an input is missing, unknown or not an integer tensor
     */
    BertInputs(Map<String, NodeInfo> inputs, String source, String expected) throws ModelException {
        for (String name : new String[] {INPUT_IDS, ATTENTION_MASK}) {
            if (!inputs.containsKey(name)) {
                throw new ModelException(source + " has no input " + name + " (inputs: "
                        + new TreeSet<>(inputs.keySet()) + "); " + expected);
            }
        }
        Set<String> unknown = new TreeSet<>(inputs.keySet());
        unknown.removeAll(List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
        if (!unknown.isEmpty()) {
            throw new ModelException(source + " has inputs this loader cannot feed: " + unknown + "; " + expected);
        }
        idsType = integerType(inputs, INPUT_IDS, source, expected);
        maskType = integerType(inputs, ATTENTION_MASK, source, expected);
        typeIdsType = inputs.containsKey(TOKEN_TYPE_IDS) ? integerType(inputs, TOKEN_TYPE_IDS, source, expected) : null;
    }

    /** A node's tensor description. */
    static TensorInfo tensorInfo(Map<String, NodeInfo> infos, String name, String source, String expected)
            throws ModelException {
        if (!(infos.get(name).getInfo() instanceof TensorInfo info)) {
            throw new ModelException(source + ": " + name + " is not a tensor; " + expected);
        }
        return info;
    }

    private static OnnxJavaType integerType(Map<String, NodeInfo> infos, String name, String source,
            String expected) throws ModelException {
        OnnxJavaType type = tensorInfo(infos, name, source, expected).type;
        if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
            throw new ModelException(source + ": input " + name + " is " + type + "; int64 (or int32) expected");
        }
        return type;
    }

    /**
     * The input tensors of one call, added to {@code owned} for the caller to close.
     *
     * @param ids {@code [rows * seq]} token ids
     * @param mask {@code [rows * seq]} 1 for tokens, 0 for padding
     */
    Map<String, OnnxTensor> tensors(OrtEnvironment env, int rows, int seq, long[] ids, long[] mask,
            List<OnnxTensor> owned) throws OrtException {
        long[] shape = {rows, seq};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put(INPUT_IDS, DecoderGraph.integers(env, ids, shape, idsType, owned));
        inputs.put(ATTENTION_MASK, DecoderGraph.integers(env, mask, shape, maskType, owned));
        if (typeIdsType != null) {
            inputs.put(TOKEN_TYPE_IDS, DecoderGraph.integers(env, new long[ids.length], shape, typeIdsType, owned));
        }
        return inputs;
    }

    /**
     * Runs one call of a graph with these inputs, writing its per-token output into a pinned buffer.
     *
     * @param output the output to read, {@code [rows, seq, width]} float32
     * @param into a direct buffer of exactly {@code rows * seq * width} floats
     */
    void run(OrtEnvironment env, OrtSession session, String output, int rows, int seq, int width, long[] ids,
            long[] mask, FloatBuffer into) throws OrtException {
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = tensors(env, rows, seq, ids, mask, owned);
            OnnxTensor out = OnnxTensor.createTensor(env, into, new long[] {rows, seq, width});
            owned.add(out);
            session.run(feeds, Set.of(), Map.of(output, out)).close();
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /**
     * Checks a per-token float32 output ({@code [batch, sequence, width]}) and returns its declared
     * shape, empty when the graph leaves it open.
     *
     * @param width what its last axis holds, e.g. {@code vocabulary}
     * @param notThis what a wrong rank would mean, for the message
     */
    static long[] perTokenOutput(Map<String, NodeInfo> outputs, String name, String source, String expected,
            String width, String notThis) throws ModelException {
        if (!outputs.containsKey(name)) {
            throw new ModelException(source + " has no output " + name + " (outputs: "
                    + new TreeSet<>(outputs.keySet()) + "); " + expected);
        }
        TensorInfo info = tensorInfo(outputs, name, source, expected);
        if (info.type != OnnxJavaType.FLOAT) {
            throw new ModelException(source + ": output " + name + " is " + info.type + "; float32 expected (export"
                    + " with float32 outputs)");
        }
        long[] shape = info.getShape();
        // no dimensions at all means the graph does not say; the first call will tell
        if (shape.length != 0 && shape.length != 3) {
            throw new ModelException(source + ": output " + name + " has " + shape.length + " dimensions; [batch,"
                    + " sequence, " + width + "] expected (" + notThis + ")");
        }
        return shape;
    }
}
