package dev.sextant.plugins.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * The native buffers one {@link OnnxDecodingState} feeds the graph step after step: ids, positions
 * and the attention mask go into direct buffers kept between steps (a tensor made from a heap
 * array is copied into a freshly allocated direct buffer on every call), and the logits output
 * tensor is made once per buffer and shape. Owned by one state, used from one thread; closed with it.
 */
final class StepInputs implements AutoCloseable {

    private final LongBuffer[] longs = new LongBuffer[3];
    private OnnxTensor logitsTensor;
    private FloatBuffer logitsBuffer;
    private long[] logitsShape;

    /** Slot of each integer input. */
    static final int IDS = 0;
    static final int POSITIONS = 1;
    static final int MASK = 2;

    /**
     * A direct buffer holding {@code values}, for input {@code slot}: the same memory as the last call's
     * when it is large enough. Valid until the next call for that slot.
     */
    LongBuffer longs(int slot, long[] values) {
        LongBuffer buffer = longs[slot];
        if (buffer == null || buffer.capacity() < values.length) {
            int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, values.length - 1)) << 1);
            buffer = ByteBuffer.allocateDirect(capacity * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            longs[slot] = buffer;
        }
        LongBuffer view = buffer.duplicate();
        view.clear();
        view.put(values);
        view.flip();
        return view.slice();
    }

    /** The output tensor over {@code buffer} with {@code shape}, made again only when either changes. */
    OnnxTensor logits(OrtEnvironment env, FloatBuffer buffer, long[] shape) throws OrtException {
        if (logitsTensor == null || logitsBuffer != buffer || !Arrays.equals(logitsShape, shape)) {
            closeLogits();
            logitsTensor = OnnxTensor.createTensor(env, buffer, shape);
            logitsBuffer = buffer;
            logitsShape = shape.clone();
        }
        return logitsTensor;
    }

    private void closeLogits() {
        if (logitsTensor != null) {
            logitsTensor.close();
            logitsTensor = null;
        }
    }

    @Override
    public void close() {
        closeLogits();
    }
}
