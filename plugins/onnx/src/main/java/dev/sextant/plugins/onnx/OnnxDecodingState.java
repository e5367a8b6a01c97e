package dev.sextant.plugins.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.DecodingState;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A batch being decoded by an {@link OnnxCausalLm}. The KV cache is one set of native tensors
 * shared by all rows, {@code [rows, kvHeads, slots, headDim]}; each row has its own attention mask
 * over the slots, so rows can be of different lengths (left padding), grow by different numbers of
 * tokens in one call (padding slots inside the call) and be rewound one by one (the row's slots are
 * masked out). A token's position id is its index in its row, whatever slot it occupies, so a row
 * computes what it would compute alone and unpadded. When masked slots waste more than half the
 * cache, or the cache would outgrow the model's context, the cache is compacted. Long prompts run
 * in chunks so that the logits of one call stay within {@link OnnxCausalLm#LOGITS_PER_CALL}.
 *
 * <p>Invariants per row: the first {@code cached} tokens have their keys and values in the cache,
 * in order, at the slots where its mask is 1; when {@code cached == length}, {@code logits} holds
 * the next-token logits after the last token. A row with {@code cached < length} (after a rewind)
 * runs its uncached tokens in the next model call.
 */
final class OnnxDecodingState implements DecodingState {

    /** Compact when at least this many slots are masked in every row and they are half the cache. */
    private static final int MIN_DEAD_SLOTS_TO_COMPACT = 32;
    /** Keep the step logits buffer between calls up to this many positions per row. */
    private static final int KEPT_BUFFER_POSITIONS = 16;

    private final OnnxCausalLm model;
    private final DecoderGraph graph;
    private final RunLimits limits;
    private final int vocab;
    private KvCache cache;
    private Row[] rows;
    private FloatBuffer buffer;
    /** The last view of {@code buffer} handed out, reused while the size stays the same. */
    private FloatBuffer view;
    private final StepInputs io = new StepInputs();
    private boolean closed;

    OnnxDecodingState(OnnxCausalLm model, DecoderGraph graph, RunLimits limits, int[][] prompts) {
        this.model = model;
        this.graph = graph;
        this.limits = limits;
        this.vocab = graph.config().vocabSize();
        rows = new Row[prompts.length];
        for (int r = 0; r < prompts.length; r++) {
            rows[r] = new Row(prompts[r]);
        }
    }

    /** Runs the prompts; called once by the model, which closes the state if this fails. */
    void prefill() throws SextantException {
        run(false);
    }

    @Override
    public int rows() {
        checkOpen();
        return rows.length;
    }

    @Override
    public int[] tokens(int row) {
        Row r = row(row);
        return Arrays.copyOf(r.tokens, r.length);
    }

    @Override
    public int promptLength(int row) {
        return row(row).promptLength;
    }

    @Override
    public float[] logits(int row) {
        return current(row).logits.clone();
    }

    /** Reads the row's own logits in place: greedy decoding copies nothing per step. */
    @Override
    public int argmax(int row) {
        return DecodingState.argmax(current(row).logits);
    }

    /** The row, its logits recomputed first if a rewind left tokens uncached. */
    private Row current(int row) {
        Row r = row(row);
        if (r.cached < r.length) {
            try {
                run(false);
            } catch (SextantException e) {
                throw new IllegalStateException("could not recompute the logits of row " + row + " after a rewind: "
                        + e.getMessage(), e);
            }
        }
        return r;
    }

    @Override
    public void append(int[] nextTokens) throws SextantException {
        checkOpen();
        if (nextTokens.length != rows.length) {
            throw new IllegalArgumentException("append needs one token per row: " + rows.length + " rows, "
                    + nextTokens.length + " tokens");
        }
        int[][] tokens = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            tokens[r] = new int[] {nextTokens[r]};
        }
        extend(tokens, false);
    }

    @Override
    public float[][][] appendAll(int[][] tokens) throws SextantException {
        checkOpen();
        if (tokens.length != rows.length) {
            throw new IllegalArgumentException("appendAll needs tokens for each of the " + rows.length + " rows, got "
                    + tokens.length);
        }
        for (int r = 1; r < tokens.length; r++) {
            if (tokens[r].length != tokens[0].length) {
                throw new IllegalArgumentException("appendAll needs the same number of tokens in every row: row 0 has "
                        + tokens[0].length + ", row " + r + " has " + tokens[r].length);
            }
        }
        float[][][] all = extend(tokens, true);
        float[][][] out = new float[rows.length][][];
        for (int r = 0; r < rows.length; r++) {
            int n = tokens[r].length;
            out[r] = new float[n][];
            for (int i = 0; i < n; i++) {
                // a row may have re-run a rewound token first: its logits come before the appended ones
                out[r][i] = all[r][all[r].length - n + i].clone();
            }
        }
        return out;
    }

    /** Adds tokens to rows and runs the model over them; on failure the rows hold their old tokens. */
    private float[][][] extend(int[][] tokens, boolean allPositions) throws SextantException {
        limits.check();
        int maxPositions = model.info().maxPositions();
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length + tokens[r].length > maxPositions) {
                throw new InputException("row " + r + " would have " + (rows[r].length + tokens[r].length)
                        + " tokens, but model '" + model.info().name() + "' reads at most " + maxPositions);
            }
            for (int token : tokens[r]) {
                if (token < 0 || token >= vocab) {
                    throw new IllegalArgumentException("token id " + token + " for row " + r + " is outside the "
                            + "vocabulary 0.." + (vocab - 1));
                }
            }
        }
        int[] lengths = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            lengths[r] = rows[r].length;
            rows[r].push(tokens[r]);
        }
        boolean done = false;
        try {
            float[][][] out = run(allPositions);
            done = true;
            return out;
        } finally {
            if (!done) {
                for (int r = 0; r < rows.length; r++) {
                    rows[r].truncate(lengths[r]);
                }
            }
        }
    }

    @Override
    public void fork(int[] sourceRows) throws SextantException {
        checkOpen();
        if (sourceRows.length == 0) {
            throw new IllegalArgumentException("fork needs at least one row; close the state instead");
        }
        boolean identity = sourceRows.length == rows.length;
        for (int i = 0; i < sourceRows.length; i++) {
            if (sourceRows[i] < 0 || sourceRows[i] >= rows.length) {
                throw new IllegalArgumentException("fork source row " + sourceRows[i] + " is not in 0.."
                        + (rows.length - 1));
            }
            identity &= sourceRows[i] == i;
        }
        if (identity) {
            return;
        }
        OnnxTensor[] gathered;
        try {
            gathered = graph.cacheOps().gatherRows(cache.tensors(), sourceRows);
        } catch (OrtException e) {
            throw failure("could not rearrange the rows of the KV cache", e);
        }
        KvCache forked = new KvCache(gathered, sourceRows.length, cache.length());
        cache.close();
        cache = forked;
        Row[] next = new Row[sourceRows.length];
        boolean[] used = new boolean[rows.length];
        for (int i = 0; i < sourceRows.length; i++) {
            // the first user of a row takes it as is; duplicates get copies
            next[i] = used[sourceRows[i]] ? rows[sourceRows[i]].copy() : rows[sourceRows[i]];
            used[sourceRows[i]] = true;
        }
        rows = next;
        buffer = null;
        view = null;
    }

    @Override
    public void rewind(int row, int count) {
        Row r = row(row);
        if (count < 0) {
            throw new IllegalArgumentException("cannot rewind a negative number of tokens (" + count + ")");
        }
        if (count > r.length - r.promptLength) {
            throw new IllegalArgumentException("row " + row + " has " + (r.length - r.promptLength)
                    + " tokens after its prompt; rewinding " + count + " would remove prompt tokens");
        }
        if (count > 0) {
            r.truncate(r.length - count);
        }
    }

    /**
     * Runs the model over every row's uncached tokens, in as many calls as the logits budget needs,
     * checking the limits between calls.
     *
     * @param allPositions return the logits after every new token, not only keep the last
     * @return per row, the logits after each of its new tokens (only if {@code allPositions})
     */
    private float[][][] run(boolean allPositions) throws SextantException {
        int n = rows.length;
        int chunk = model.positionsPerCall(n);
        float[][][] out = allPositions ? new float[n][0][] : null;
        for (boolean first = true; ; first = false) {
            int seq = 0;
            for (Row row : rows) {
                seq = Math.max(seq, Math.min(chunk, row.length - row.cached));
            }
            if (seq == 0) {
                return out;
            }
            if (!first) {
                limits.check();
            }
            float[][][] part = runOnce(seq, allPositions);
            if (out != null) {
                for (int r = 0; r < n; r++) {
                    float[][] joined = Arrays.copyOf(out[r], out[r].length + part[r].length);
                    System.arraycopy(part[r], 0, joined, out[r].length, part[r].length);
                    out[r] = joined;
                }
            }
        }
    }

    /**
     * One model call over up to {@code seq} uncached tokens per row, left-padded to {@code seq};
     * then the cache, masks and logits are updated.
     */
    private float[][][] runOnce(int seq, boolean allPositions) throws SextantException {
        int n = rows.length;
        compactIfNeeded(seq);
        int past = cache == null ? 0 : cache.length();
        int total = past + seq;
        long[] ids = new long[n * seq];
        long[] positions = new long[n * seq];
        long[] mask = new long[n * total];
        int padId = model.paddingId();
        int[] owns = new int[n];
        for (int r = 0; r < n; r++) {
            Row row = rows[r];
            int own = Math.min(seq, row.length - row.cached);
            owns[r] = own;
            int pad = seq - own;
            for (int s = 0; s < past; s++) {
                mask[r * total + s] = row.mask[s];
            }
            for (int j = 0; j < seq; j++) {
                boolean real = j >= pad;
                ids[r * seq + j] = real ? row.tokens[row.cached + j - pad] : padId;
                // a padding slot is never attended to; 1 is a position every model accepts
                positions[r * seq + j] = real ? row.cached + j - pad : 1;
                mask[r * total + past + j] = real ? 1 : 0;
            }
        }
        // every row's last new token sits at the last position: without allPositions only it is needed
        int kept = graph.logitsPositions(seq, !allPositions);
        FloatBuffer logits = logitsBuffer(n * kept);
        KvCache next;
        try {
            next = graph.forward(n, seq, ids, positions, mask, cache, !allPositions, logits, true, io);
        } catch (OrtException e) {
            throw failure("the model call failed", e);
        }
        if (cache != null) {
            cache.close();
        }
        cache = next;
        float[][][] out = allPositions ? new float[n][][] : null;
        for (int r = 0; r < n; r++) {
            Row row = rows[r];
            int own = owns[r];
            int pad = seq - own;
            row.ensureMask(total);
            for (int j = 0; j < seq; j++) {
                row.mask[past + j] = (byte) (j >= pad ? 1 : 0);
            }
            if (own == 0) {
                if (out != null) {
                    out[r] = new float[0][];
                }
                continue;
            }
            int from = allPositions ? 0 : own - 1;
            // the logits before this call are kept too, so that rewinding all of its tokens needs no new call
            int previous = from == 0 && row.logits != null && row.logitsToken == row.cached - 1 ? 1 : 0;
            float[][] step = new float[previous + own - from][];
            if (previous == 1) {
                step[0] = row.logits;
            }
            for (int j = from; j < own; j++) {
                float[] v = new float[vocab];
                // position pad + j is row kept - (seq - pad - j) of the kept last positions
                logits.get((r * kept + kept - seq + pad + j) * vocab, v, 0, vocab);
                step[previous + j - from] = v;
            }
            row.stepStart = row.cached + from - previous;
            row.stepLogits = step;
            row.cached += own;
            row.logits = step[step.length - 1];
            row.logitsToken = row.cached - 1;
            if (out != null) {
                out[r] = Arrays.copyOfRange(step, previous, step.length);
            }
        }
        return out;
    }

    /**
     * Drops slots masked in every row (rewound tokens, padding) when they would push the cache past
     * the model's context or when they make up half of it.
     */
    private void compactIfNeeded(int newSlots) throws ModelException {
        if (cache == null) {
            return;
        }
        int past = cache.length();
        int keep = 0;
        for (Row row : rows) {
            keep = Math.max(keep, row.cached);
        }
        int dead = past - keep;
        boolean overflow = past + newSlots > model.info().maxPositions();
        boolean wasteful = dead >= MIN_DEAD_SLOTS_TO_COMPACT && 2 * dead >= past;
        if (dead == 0 || !(overflow || wasteful)) {
            return;
        }
        int[][] slots = new int[rows.length][keep];
        for (int r = 0; r < rows.length; r++) {
            Row row = rows[r];
            int k = keep - row.cached; // right-aligned: the row's padding (slot 0, masked) comes first
            for (int s = 0; s < past; s++) {
                if (row.mask[s] == 1) {
                    slots[r][k++] = s;
                }
            }
        }
        CausalLmConfig config = graph.config();
        OnnxTensor[] gathered;
        try {
            gathered = graph.cacheOps().gatherSlots(cache.tensors(), config.kvHeads(), past, config.headDim(), slots);
        } catch (OrtException e) {
            throw failure("could not compact the KV cache", e);
        }
        KvCache compacted = new KvCache(gathered, rows.length, keep);
        cache.close();
        cache = compacted;
        for (Row row : rows) {
            Arrays.fill(row.mask, (byte) 0);
            Arrays.fill(row.mask, keep - row.cached, keep, (byte) 1);
        }
    }

    /** A direct buffer for {@code positions} logit vectors, reused across steps of the same shape. */
    private FloatBuffer logitsBuffer(int positions) {
        int floats = positions * vocab;
        if (buffer != null && buffer.capacity() >= floats) {
            if (view == null || view.capacity() != floats) {
                // the same view object for the same size, so that the output tensor over it is reused
                view = buffer.duplicate().position(0).limit(floats).slice();
            }
            return view;
        }
        FloatBuffer fresh = DecoderGraph.logitsBuffer((long) floats);
        if (positions <= KEPT_BUFFER_POSITIONS * rows.length) {
            buffer = fresh;
            view = null;
        }
        return fresh;
    }

    /** Cache slots per row, including padding and masked ones (for tests and diagnostics). */
    int cacheSlots() {
        checkOpen();
        return cache == null ? 0 : cache.length();
    }

    private ModelException failure(String what, OrtException e) {
        return new ModelException(what + " (model '" + model.info().name() + "'): " + e.getMessage(), e);
    }

    private Row row(int row) {
        checkOpen();
        if (row < 0 || row >= rows.length) {
            throw new IndexOutOfBoundsException("row " + row + " is not in 0.." + (rows.length - 1));
        }
        return rows[row];
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this decoding state is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (cache != null) {
                cache.close();
                cache = null;
            }
            rows = null;
            buffer = null;
            view = null;
            io.close();
        }
    }

    /** One row's tokens, mask over the cache slots and logits. */
    private static final class Row {
        final int promptLength;
        int[] tokens;
        int length;
        /** 1 where a slot holds one of this row's cached tokens. */
        byte[] mask = new byte[0];
        int cached;
        /** Next-token logits after token {@code logitsToken}; never modified (callers get copies). */
        float[] logits;
        int logitsToken = -1;
        /** Logits after tokens stepStart, stepStart+1, ... from the last call that ran this row. */
        int stepStart;
        float[][] stepLogits;

        Row(int[] prompt) {
            promptLength = prompt.length;
            tokens = Arrays.copyOf(prompt, Math.max(16, prompt.length * 2));
            length = prompt.length;
        }

        private Row(Row other) {
            promptLength = other.promptLength;
            tokens = other.tokens.clone();
            length = other.length;
            mask = other.mask.clone();
            cached = other.cached;
            logits = other.logits;
            logitsToken = other.logitsToken;
            stepStart = other.stepStart;
            stepLogits = other.stepLogits == null ? null : other.stepLogits.clone();
        }

        Row copy() {
            return new Row(this);
        }

        void push(int[] more) {
            if (length + more.length > tokens.length) {
                tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, length + more.length));
            }
            System.arraycopy(more, 0, tokens, length, more.length);
            length += more.length;
        }

        /**
         * Forgets the tokens from {@code newLength} on. The logits after the new last token come
         * from the last call if it computed them; otherwise that token is uncached to run again.
         */
        void truncate(int newLength) {
            uncache(Math.max(0, cached - newLength));
            length = newLength;
            if (stepLogits != null) {
                int kept = Math.min(stepLogits.length, newLength - stepStart);
                stepLogits = kept > 0 ? Arrays.copyOf(stepLogits, kept) : null;
            }
            if (logitsToken >= newLength) {
                logits = null;
                logitsToken = -1;
            }
            int last = newLength - 1;
            if (cached < length || logitsToken == last) {
                return; // uncached tokens run in the next call anyway, or the logits are already right
            }
            if (stepLogits != null && stepStart + stepLogits.length - 1 == last) {
                logits = stepLogits[stepLogits.length - 1];
                logitsToken = last;
            } else {
                uncache(1);
                logits = null;
                logitsToken = -1;
                stepLogits = null;
            }
        }

        void ensureMask(int slots) {
            if (mask.length < slots) {
                mask = Arrays.copyOf(mask, Math.max(slots, mask.length * 2));
            }
        }

        /** Masks out the slots of the last {@code count} cached tokens. */
        void uncache(int count) {
            for (int s = mask.length - 1; s >= 0 && count > 0; s--) {
                if (mask[s] == 1) {
                    mask[s] = 0;
                    count--;
                    cached--;
                }
            }
        }
    }
}
