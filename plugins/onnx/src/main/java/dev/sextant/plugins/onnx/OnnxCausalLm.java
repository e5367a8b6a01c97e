package dev.sextant.plugins.onnx;

import ai.onnxruntime.OrtException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A causal language model run by ONNX Runtime. Shared by concurrent requests: sessions are
 * thread-safe and every call keeps its state in its own {@link OnnxDecodingState} or local arrays
 * (next-token calls lease their logits buffer from a thread-safe {@link LogitsBuffers}).
 */
final class OnnxCausalLm implements LanguageModel {

    /**
     * The most logits one model call writes (16M floats, 64 MiB): longer prompts and scored
     * sequences run in chunks of positions, feeding the cache of one chunk to the next.
     */
    static final long LOGITS_PER_CALL = 16L << 20;

    private final ModelInfo info;
    private final DjlTokenizer tokenizer;
    private final DecoderGraph graph;
    private final int maxBatchSize;
    private final int paddingId;
    private final long logitsPerCall;
    private final LogitsBuffers buffers = new LogitsBuffers();
    private final ParallelCalls calls;

    /**
     * @param maxBatchSize rows per scoring call
     * @param logitsPerCall see {@link #LOGITS_PER_CALL}; smaller in tests to exercise chunking
     * @param calls runs the batches of one scoring or next-token request, some at once
     */
    OnnxCausalLm(ModelInfo info, DjlTokenizer tokenizer, DecoderGraph graph, int maxBatchSize, long logitsPerCall,
            ParallelCalls calls) {
        this.calls = calls;
        this.info = info;
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.maxBatchSize = maxBatchSize;
        this.logitsPerCall = logitsPerCall;
        int vocab = info.vocabSize();
        int eos = info.eosTokenIds().stream().filter(id -> id >= 0 && id < vocab).findFirst().orElse(0);
        this.paddingId = info.padTokenId() >= 0 && info.padTokenId() < vocab ? info.padTokenId() : eos;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Positions per model call for a batch of {@code rows}, so that its logits stay within the budget. */
    int positionsPerCall(int rows) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, logitsPerCall / ((long) rows * info.vocabSize())));
    }

    /** The same model with another logits budget per call (tests); closing either closes both. */
    OnnxCausalLm withLogitsPerCall(long floats) {
        return new OnnxCausalLm(info, tokenizer, graph, maxBatchSize, floats, calls);
    }

    DecoderGraph graph() {
        return graph;
    }

    /** The id fed at padding slots; they are masked, so any valid id would do. */
    int paddingId() {
        return paddingId;
    }

    @Override
    public DecodingState start(List<int[]> prompts, RunLimits limits) throws SextantException {
        if (prompts.isEmpty()) {
            throw new InputException("no prompts to start from");
        }
        int[][] rows = new int[prompts.size()][];
        for (int r = 0; r < rows.length; r++) {
            int[] prompt = prompts.get(r);
            String what = prompts.size() == 1 ? "the prompt" : "prompt " + (r + 1);
            if (prompt.length == 0) {
                throw new InputException(what + " is empty: give at least one token");
            }
            checkLength(what, prompt, limits);
            rows[r] = prompt.clone();
        }
        limits.check();
        OnnxDecodingState state = new OnnxDecodingState(this, graph, limits, rows);
        boolean started = false;
        try {
            state.prefill();
            started = true;
            return state;
        } finally {
            if (!started) {
                state.close();
            }
        }
    }

    /**
     * Reads only what attribution needs from whole sequences: rows are left-padded so that every
     * row's last token sits at the last position, one model call runs each group of rows without
     * keeping a cache, and only that position's logits leave the native buffer (a graph that takes
     * {@code logits_to_keep} computes only them). Rows are grouped longest first so that rows of
     * similar length share a call and little padding is computed. Groups are still sized by the
     * logits all positions would have, which also bounds the activations of one call.
     */
    @Override
    public float[][] nextTokenLogits(List<int[]> sequences, RunLimits limits) throws SextantException {
        int n = sequences.size();
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] seq = sequences.get(i);
            String what = n == 1 ? "the sequence" : "sequence " + (i + 1);
            if (seq.length == 0) {
                throw new InputException(what + " is empty: give at least one token");
            }
            checkLength(what, seq, limits);
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> sequences.get(i).length).reversed());
        float[][] out = new float[n][];
        List<ParallelCalls.Call> batches = new ArrayList<>();
        for (int from = 0; from < n; ) {
            int width = sequences.get(order.get(from)).length;
            long fit = logitsPerCall / ((long) width * info.vocabSize());
            if (fit == 0) {
                // even one row is over the budget: a decoding state runs it in chunks of positions
                int index = order.get(from);
                batches.add(() -> {
                    limits.check();
                    out[index] = LanguageModel.super.nextTokenLogits(List.of(sequences.get(index)), limits)[0];
                });
                from++;
                continue;
            }
            int rows = (int) Math.min(Math.min(maxBatchSize, n - from), fit);
            List<Integer> batch = order.subList(from, from + rows);
            batches.add(() -> {
                limits.check();
                lastPositionLogits(sequences, batch, width, out);
            });
            from += rows;
        }
        calls.runAll(batches);
        return out;
    }

    /** One left-padded call over {@code batch}, whose longest row has {@code width} tokens. */
    private void lastPositionLogits(List<int[]> sequences, List<Integer> batch, int width, float[][] out)
            throws SextantException {
        int rows = batch.size();
        int vocab = info.vocabSize();
        long[] ids = new long[rows * width];
        long[] positions = new long[rows * width];
        long[] mask = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            int[] tokens = sequences.get(batch.get(r));
            int pad = width - tokens.length;
            for (int j = 0; j < width; j++) {
                boolean real = j >= pad;
                ids[r * width + j] = real ? tokens[j - pad] : paddingId;
                // a padding slot is never attended to; 1 is a position every model accepts
                positions[r * width + j] = real ? j - pad : 1;
                mask[r * width + j] = real ? 1 : 0;
            }
        }
        int kept = graph.logitsPositions(width, true);
        try (LogitsBuffers.Lease lease = buffers.take((long) rows * kept * vocab)) {
            FloatBuffer logits = lease.buffer();
            graph.forward(rows, width, ids, positions, mask, null, true, logits, false);
            for (int r = 0; r < rows; r++) {
                float[] v = new float[vocab];
                logits.get((r * kept + kept - 1) * vocab, v, 0, vocab);
                out[batch.get(r)] = v;
            }
        } catch (OrtException e) {
            throw new ModelException("next-token logits failed (model '" + info.name() + "'): " + e.getMessage(), e);
        }
    }

    private void checkLength(String what, int[] tokens, RunLimits limits) throws InputException {
        limits.checkInputLength(what, tokens.length);
        if (tokens.length > info.maxPositions()) {
            throw new InputException(what + " has " + tokens.length + " tokens, but model '" + info.name()
                    + "' reads at most " + info.maxPositions());
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= info.vocabSize()) {
                throw new InputException(what + " has token id " + tokens[i] + " at position " + i
                        + ", outside the vocabulary 0.." + (info.vocabSize() - 1));
            }
        }
    }

    @Override
    public float[][] logProbabilities(List<int[]> sequences, RunLimits limits) throws SextantException {
        int n = sequences.size();
        float[][] out = new float[n][];
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] seq = sequences.get(i);
            checkLength(n == 1 ? "the sequence" : "sequence " + (i + 1), seq, limits);
            out[i] = new float[seq.length];
            if (seq.length > 0) {
                out[i][0] = Float.NaN;
            }
            if (seq.length > 1) {
                toRun.add(i);
            }
        }
        // longest first, so each batch is padded to its first sequence
        toRun.sort(Comparator.comparingInt((Integer i) -> sequences.get(i).length).reversed());
        List<ParallelCalls.Call> batches = new ArrayList<>();
        for (int start = 0; start < toRun.size(); start += maxBatchSize) {
            List<Integer> batch = toRun.subList(start, Math.min(toRun.size(), start + maxBatchSize));
            batches.add(() -> {
                limits.check();
                score(sequences, batch, out, limits);
            });
        }
        calls.runAll(batches);
        return out;
    }

    /**
     * One right-padded batch, in chunks of positions so that one call's logits stay within
     * {@link #LOGITS_PER_CALL}; each chunk attends to the cache of the chunks before it.
     */
    private void score(List<int[]> sequences, List<Integer> batch, float[][] out, RunLimits limits)
            throws SextantException {
        int rows = batch.size();
        int vocab = info.vocabSize();
        int width = sequences.get(batch.get(0)).length;
        int chunk = Math.min(width, positionsPerCall(rows));
        long[] mask = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(mask, r * width, r * width + sequences.get(batch.get(r)).length, 1L);
        }
        float[] v = new float[vocab];
        KvCache past = null;
        try {
            for (int from = 0; from < width; from += chunk) {
                if (from > 0) {
                    limits.check();
                }
                int seq = Math.min(chunk, width - from);
                int total = from + seq;
                long[] ids = new long[rows * seq];
                long[] positions = new long[rows * seq];
                long[] chunkMask = new long[rows * total];
                for (int r = 0; r < rows; r++) {
                    int[] tokens = sequences.get(batch.get(r));
                    for (int j = 0; j < seq; j++) {
                        int t = from + j;
                        ids[r * seq + j] = t < tokens.length ? tokens[t] : paddingId;
                        positions[r * seq + j] = t < tokens.length ? t : 1;
                    }
                    System.arraycopy(mask, r * width, chunkMask, r * total, total);
                }
                FloatBuffer logits = DecoderGraph.logitsBuffer((long) rows * seq * vocab);
                boolean more = total < width;
                KvCache next;
                try {
                    next = graph.forward(rows, seq, ids, positions, chunkMask, past, false, logits, more);
                } catch (OrtException e) {
                    throw new ModelException("scoring failed (model '" + info.name() + "'): " + e.getMessage(), e);
                }
                if (past != null) {
                    past.close();
                }
                past = next;
                for (int r = 0; r < rows; r++) {
                    int[] tokens = sequences.get(batch.get(r));
                    float[] lp = out[batch.get(r)];
                    // the logits at position t score token t + 1
                    for (int t = from; t < total && t + 1 < tokens.length; t++) {
                        logits.get((r * seq + t - from) * vocab, v, 0, vocab);
                        lp[t + 1] = (float) (v[tokens[t + 1]] - logSumExp(v));
                    }
                }
            }
        } finally {
            if (past != null) {
                past.close();
            }
        }
    }

    static double logSumExp(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }

    @Override
    public void close() {
        calls.close();
        graph.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxCausalLm" + Arrays.asList(info.name(), info.architecture());
    }
}
