package dev.sextant.plugins.onnx;

import ai.onnxruntime.OnnxTensor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The key and value tensors of every layer for a batch, each {@code [rows, kvHeads, length,
 * headDim]}, owned by this object: they are the {@code present.*} outputs of the last model call,
 * fed unchanged as the next call's {@code past_key_values.*}. Closing frees them.
 */
final class KvCache implements AutoCloseable {

    /** Caches not yet closed in this JVM: a diagnostic for leaks, read by tests. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    /** key of layer i at 2i, value at 2i+1. */
    private final OnnxTensor[] tensors;
    private final int rows;
    private final int length;
    private boolean closed;

    KvCache(OnnxTensor[] tensors, int rows, int length) {
        this.tensors = tensors;
        this.rows = rows;
        this.length = length;
        OPEN.incrementAndGet();
    }

    /** Number of caches created and not yet closed. */
    static int openCaches() {
        return OPEN.get();
    }

    OnnxTensor[] tensors() {
        if (closed) {
            throw new IllegalStateException("the KV cache is closed");
        }
        return tensors;
    }

    int rows() {
        return rows;
    }

    /** Cache slots per row (past sequence length). */
    int length() {
        return length;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            OPEN.decrementAndGet();
            closeAll(tensors);
        }
    }

    static void closeAll(OnnxTensor[] tensors) {
        for (OnnxTensor tensor : tensors) {
            if (tensor != null) {
                tensor.close();
            }
        }
    }
}
