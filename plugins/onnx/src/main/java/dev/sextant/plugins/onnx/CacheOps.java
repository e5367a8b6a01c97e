package dev.sextant.plugins.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Rearranges a KV cache inside ONNX Runtime: two tiny graphs built in memory gather rows (beam
 * forks) or per-row cache slots (dropping rewound and padding slots) of every layer's key and value
 * tensor in one call. The results are tensors owned by ONNX Runtime, freed when closed, and no
 * cache byte passes through the Java heap.
 */
final class CacheOps implements AutoCloseable {

    private static final int INT64 = 7;

    private final OrtEnvironment env;
    private final int tensors;
    private final OrtSession gatherRows;
    private final OrtSession gatherSlots;

    /**
     * @param tensors number of cache tensors (two per layer)
     * @param elementType ONNX element type of the cache (1 for float, 10 for float16)
     */
    CacheOps(OrtEnvironment env, int tensors, int elementType) throws OrtException {
        this.env = env;
        this.tensors = tensors;
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            gatherRows = env.createSession(rowsGraph(tensors, elementType), options);
            try {
                gatherSlots = env.createSession(slotsGraph(tensors, elementType), options);
            } catch (OrtException | RuntimeException e) {
                gatherRows.close();
                throw e;
            }
        } finally {
            options.close();
        }
    }

    /** out_i = Gather(x_i, rows, axis 0). */
    private static byte[] rowsGraph(int tensors, int elementType) {
        OnnxProto graph = new OnnxProto();
        for (int i = 0; i < tensors; i++) {
            graph.message(1, OnnxProto.node("Gather", new String[] {"x" + i, "rows"}, "y" + i, "axis", 0));
        }
        graph.string(2, "gather_rows");
        for (int i = 0; i < tensors; i++) {
            graph.message(11, OnnxProto.tensor("x" + i, elementType));
        }
        graph.message(11, OnnxProto.tensor("rows", INT64));
        for (int i = 0; i < tensors; i++) {
            graph.message(12, OnnxProto.tensor("y" + i, elementType));
        }
        return OnnxProto.model(graph, 17);
    }

    /** out_i = Reshape(Gather(Flatten(x_i, axis 3), index, axis 0), shape): picks vectors of the last axis. */
    private static byte[] slotsGraph(int tensors, int elementType) {
        OnnxProto graph = new OnnxProto();
        for (int i = 0; i < tensors; i++) {
            graph.message(1, OnnxProto.node("Flatten", new String[] {"x" + i}, "f" + i, "axis", 3));
            graph.message(1, OnnxProto.node("Gather", new String[] {"f" + i, "index"}, "g" + i, "axis", 0));
            graph.message(1, OnnxProto.node("Reshape", new String[] {"g" + i, "shape"}, "y" + i, null, 0));
        }
        graph.string(2, "gather_slots");
        for (int i = 0; i < tensors; i++) {
            graph.message(11, OnnxProto.tensor("x" + i, elementType));
        }
        graph.message(11, OnnxProto.tensor("index", INT64));
        graph.message(11, OnnxProto.tensor("shape", INT64));
        for (int i = 0; i < tensors; i++) {
            graph.message(12, OnnxProto.tensor("y" + i, elementType));
        }
        return OnnxProto.model(graph, 17);
    }

    /** New tensors whose row {@code i} is row {@code rows[i]} of each input ({@code [batch, ...]}). */
    OnnxTensor[] gatherRows(OnnxTensor[] cache, int[] rows) throws OrtException {
        long[] index = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            index[i] = rows[i];
        }
        try (OnnxTensor indexTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(index), new long[] {rows.length})) {
            Map<String, OnnxTensor> inputs = inputs(cache);
            inputs.put("rows", indexTensor);
            return run(gatherRows, inputs);
        }
    }

    /**
     * New tensors of shape {@code [rows, heads, slots[r].length, dim]} (every row the same length)
     * whose row {@code r} holds the slots {@code slots[r]} of the input's row {@code r}.
     */
    OnnxTensor[] gatherSlots(OnnxTensor[] cache, int heads, int length, int dim, int[][] slots) throws OrtException {
        int rows = slots.length;
        int newLength = rows == 0 ? 0 : slots[0].length;
        long[] index = new long[rows * heads * newLength];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                long base = ((long) r * heads + h) * length;
                for (int s = 0; s < newLength; s++) {
                    index[k++] = base + slots[r][s];
                }
            }
        }
        try (OnnxTensor indexTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(index), new long[] {index.length});
                OnnxTensor shape = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {rows, heads, newLength, dim}),
                        new long[] {4})) {
            Map<String, OnnxTensor> inputs = inputs(cache);
            inputs.put("index", indexTensor);
            inputs.put("shape", shape);
            return run(gatherSlots, inputs);
        }
    }

    private Map<String, OnnxTensor> inputs(OnnxTensor[] cache) {
        if (cache.length != tensors) {
            throw new IllegalArgumentException("expected " + tensors + " cache tensors, got " + cache.length);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        for (int i = 0; i < tensors; i++) {
            inputs.put("x" + i, cache[i]);
        }
        return inputs;
    }

    private OnnxTensor[] run(OrtSession session, Map<String, OnnxTensor> inputs) throws OrtException {
        OrtSession.Result result = session.run(inputs);
        try {
            OnnxTensor[] out = new OnnxTensor[tensors];
            for (int i = 0; i < tensors; i++) {
                out[i] = (OnnxTensor) result.get("y" + i).orElseThrow();
            }
            return out; // the caller owns them now; the Result is dropped unclosed on purpose
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            gatherRows.close();
        } catch (OrtException e) {
            // nothing more can be done while closing
        }
        try {
            gatherSlots.close();
        } catch (OrtException e) {
            // nothing more can be done while closing
        }
    }
}
