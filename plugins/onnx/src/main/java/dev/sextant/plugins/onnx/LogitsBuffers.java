package dev.sextant.plugins.onnx;

import java.nio.FloatBuffer;

/**
 * Direct buffers for pinned logits outputs, kept between a model's calls. Attribution makes
 * thousands of calls that each write tens of MiB of logits; a fresh buffer per call is zeroed, is
 * freed only when the garbage collector runs, and when direct memory runs short its allocation
 * waits for a collection. A few buffers are kept so that concurrent callers rarely allocate; each
 * is as large as one call's logits (bounded by the model's logits budget per call). Thread-safe.
 */
final class LogitsBuffers {

    /** Buffers kept for reuse; more concurrent calls allocate and drop their own. */
    private static final int KEPT = 2;

    /**
     * Kept buffers, null where none; compared by identity, since {@link FloatBuffer#equals} compares
     * contents.
     */
    private final FloatBuffer[] spare = new FloatBuffer[KEPT];

    /** A buffer lent for one call; closing gives it back. */
    final class Lease implements AutoCloseable {
        private final FloatBuffer whole;
        private final FloatBuffer view;

        private Lease(FloatBuffer whole, int floats) {
            this.whole = whole;
            this.view = whole.duplicate().position(0).limit(floats).slice();
        }

        /** Exactly the floats asked for; its old contents are undefined. */
        FloatBuffer buffer() {
            return view;
        }

        @Override
        public void close() {
            giveBack(whole);
        }
    }

    /** A buffer of {@code floats} floats until the lease is closed. */
    Lease take(long floats) {
        FloatBuffer found = null;
        synchronized (this) {
            int best = -1;
            for (int i = 0; i < KEPT; i++) {
                if (spare[i] != null && spare[i].capacity() >= floats
                        && (best < 0 || spare[i].capacity() < spare[best].capacity())) {
                    best = i;
                }
            }
            if (best >= 0) {
                found = spare[best];
                spare[best] = null;
            }
        }
        if (found == null) {
            found = DecoderGraph.logitsBuffer(floats);
        }
        return new Lease(found, (int) floats);
    }

    /** Keeps the buffer in a free slot, or in place of a smaller one: larger ones serve every smaller call too. */
    private synchronized void giveBack(FloatBuffer buffer) {
        int slot = -1;
        for (int i = 0; i < KEPT; i++) {
            if (spare[i] == null) {
                slot = i;
                break;
            }
            if (spare[i].capacity() < buffer.capacity() && (slot < 0 || spare[i].capacity() < spare[slot].capacity())) {
                slot = i;
            }
        }
        if (slot >= 0) {
            spare[slot] = buffer;
        }
    }
}
